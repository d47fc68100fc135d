using System.Diagnostics;
using Fleet.Contracts.V1;
using Fleet.Controller.Rollouts;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Google.Protobuf;

namespace Fleet.Controller.Releases;

/// <summary>
/// Runs the submit path's own code once at startup, so that the first deploy after a start does
/// not wait while it is compiled: verifying a release (DSSE, ECDSA, the manifest's JSON metadata,
/// image references), planning its waves, encoding its assignment and decoding an agent's first
/// report. Left to the first submit, that is about 1,400 methods compiled before its first
/// assignment leaves (bench/fanout.sh: 250 ms more before the first host of 10,000 hears of it).
/// The release is signed in memory by a throwaway key under a throwaway policy: nothing is
/// stored, sent or trusted, and the database is not touched.
/// </summary>
internal sealed partial class SubmitPathWarmup(TimeProvider time, ILogger<SubmitPathWarmup> logger) : BackgroundService
{
    private const string Environment = "warmup";
    private const string Image = "registry.invalid/warmup/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            Run(time.GetUtcNow());
            Log.Ran(logger, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex)
        {
            // Only the first deploy's speed depends on it: the controller runs on.
            Log.Failed(logger, ex);
        }
    }, stoppingToken);

    /// <summary>What a submit of a two-host rolling release with a <c>run: once</c> hook does before it touches the database, and after.</summary>
    public static (VerifiedRelease Release, IReadOnlyList<PlannedTarget> Plan) Run(DateTimeOffset now)
    {
        using var key = OperatorKey.Generate(Environment);
        var policy = TrustPolicyBuilder.Build(
            1, [key.Name], 1, [new EnvironmentRuleSpec(Environment, [key.Name], 1)], [new OperatorKeyInfo(key.Name, key.KeyId, key.PublicKey)]);
        var envelope = ReleaseManifest.Create(Definition(), Environment, 1, now, TimeSpan.FromMinutes(5)).Sign([key]).ToJson();

        var release = ReleaseIntake.Verify(envelope, policy, now);
        var manifest = release.Manifest;
        var plan = RolloutPlanner.Plan(manifest.Release.Strategy, [(Guid.NewGuid(), "host-a"), (Guid.NewGuid(), "host-b")], RolloutPlanner.HasOnceHooks(manifest.Release));
        var assignment = new ControllerMessage
        {
            Assignment = new ReleaseAssignment
            {
                RolloutId = "ro-warmup", App = manifest.App, Environment = Environment, Sequence = manifest.Sequence,
                Envelope = ByteString.CopyFrom(envelope), Action = AssignmentAction.Apply, MinHealthySeconds = RolloutPlanner.MinHealthySeconds(manifest.Release),
            },
        };
        ControllerMessage.Parser.ParseFrom(assignment.ToByteArray());
        var report = new AgentMessage
        {
            Event = new AgentEvent
            {
                Sequence = 1, At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(now), RolloutId = "ro-warmup", App = manifest.App,
                ReleaseSequence = manifest.Sequence, Kind = AgentEventKind.Progress, Step = "received",
            },
        };
        AgentMessage.Parser.ParseFrom(report.ToByteArray());
        return (release, plan);
    }

    // Every kind of field a deploy commonly carries, so that their converters are compiled too.
    private static ReleaseDefinition Definition() => new()
    {
        App = "warmup",
        TargetLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["role"] = "web" },
        Services =
        [
            new ServiceSpec
            {
                Name = "web",
                Image = Image,
                Command = ["serve"],
                Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["MODE"] = "warmup" },
                Ports = [new PortMapping { ContainerPort = 8080, HostPort = 8080 }],
                Volumes = [new VolumeMount { Source = "data", Target = "/data" }],
                Health = new HealthCheckSpec { Type = HealthCheckType.Http, Path = "/health", Port = 8080 },
            },
        ],
        Hooks = [new HookSpec { Name = "migrate", Image = Image, Command = ["migrate"] }],
        Strategy = new StrategySpec { Type = RolloutStrategyType.Rolling, MaxParallel = 1 },
    };

    private static partial class Log
    {
        [LoggerMessage(3150, LogLevel.Debug, "Ran the submit path once at startup ({ElapsedMs:0} ms): the first deploy does not wait for it to be compiled")]
        public static partial void Ran(ILogger logger, double elapsedMs);

        [LoggerMessage(3151, LogLevel.Warning, "Could not run the submit path at startup; the first deploy will compile it")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
