using Fleet.Agent.Deploy;
using Fleet.Agent.Events;
using Fleet.Agent.Releases;
using Fleet.Agent.Tests.Support;
using Fleet.Agent.Trust;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests.Releases;

/// <summary>The agent's release handling as AddReleases registers it, over a runtime that must stay untouched (unless a test registers another).</summary>
internal sealed class ReleasesHarness : IDisposable
{
    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly TempDir _dir = new();
    private readonly ServiceProvider _provider;

    public ReleasesHarness(string environment = "staging", Action<IServiceCollection>? configure = null)
    {
        // A swap over a runtime that allows one (InMemoryRuntime) neither drains on the clock nor checks the disk.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Deploy:DrainDelay"] = "00:00:00",
            ["Deploy:MinFreeDiskBytes"] = "0",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddReleases(configuration, _dir.Path, environment.Length == 0 ? new Dictionary<string, string> { ["role"] = "web" } : new Dictionary<string, string> { ["env"] = environment, ["role"] = "web" });
        services.AddSingleton<IContainerRuntime>(Runtime);
        configure?.Invoke(services);
        _provider = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public UntouchedRuntime Runtime { get; } = new();

    public TestKeys Keys { get; } = new();

    public AssignmentHandler Handler => _provider.GetRequiredService<AssignmentHandler>();

    public IServiceProvider Provider => _provider;

    public AssignmentQueue Queue => _provider.GetRequiredService<AssignmentQueue>();

    public EventOutbox Outbox => _provider.GetRequiredService<EventOutbox>();

    public DeployJournal Journal => _provider.GetRequiredService<DeployJournal>();

    public string StateDir => _dir.Path;

    public void InstallTrust() =>
        Assert.True(new AgentTrust(_dir.Path).Install(Keys.Policy(1, Keys.Alice, Keys.Bob).Sign([Keys.Alice, Keys.Bob]).ToJson(), Time.GetUtcNow()).IsAccepted);

    public ReleaseManifest Manifest(long sequence = 5, string environment = "staging", string image = "127.0.0.1:5000/shop/web@" + Digest) => new()
    {
        Environment = environment,
        Sequence = sequence,
        CreatedAt = Time.GetUtcNow().AddMinutes(-1),
        ExpiresAt = Time.GetUtcNow().AddHours(1),
        Release = new ReleaseDefinition
        {
            App = "shop",
            Services = [new Core.Releases.ServiceSpec { Name = "web", Image = image, Health = new Core.Releases.HealthCheckSpec { Type = HealthCheckType.Http, Path = "/health", Port = 8080 } }],
        },
    };

    /// <summary>An APPLY as the controller sends it to the host that goes first (<paramref name="runOnceHooks"/>) or to the others.</summary>
    public static ReleaseAssignment Apply(DsseEnvelope envelope, string app = "shop", long sequence = 5, bool runOnceHooks = false) => new()
    {
        RolloutId = "r1",
        App = app,
        Environment = "staging",
        Sequence = sequence,
        Envelope = ByteString.CopyFrom(envelope.ToJson()),
        Action = AssignmentAction.Apply,
        MinHealthySeconds = 1,
        RunOnceHooks = runOnceHooks,
    };

    public async Task<IReadOnlyList<AgentEvent>> HandleAsync(ReleaseAssignment assignment)
    {
        await Handler.HandleAsync(assignment, TestContext.Current.CancellationToken);
        return await Outbox.ReadPendingAsync(0, 1000, TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        _provider.Dispose();
        Keys.Dispose();
        _dir.Dispose();
    }
}
