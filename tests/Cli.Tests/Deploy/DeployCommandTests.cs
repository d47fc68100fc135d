using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Google.Protobuf;

namespace Fleet.Cli.Tests.Deploy;

public sealed class DeployCommandTests : IDisposable
{
    private const string Image = "127.0.0.1:5000/shop/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly CliHarness _cli = new();
    private readonly OperatorKey _root = OperatorKey.Generate("root");
    private readonly string _file;

    public DeployCommandTests()
    {
        _cli.SaveTwoContexts();
        _file = _cli.TempPath("fleet.yaml");
        File.WriteAllText(_file, $"app: shop\nservices:\n  web:\n    image: {Image}\nstrategy:\n  type: rolling\n  max_parallel: 1\n");
        _cli.Api.NextSequence = new GetNextSequenceResponse { Sequence = 7 };
        var policy = TrustPolicy.Create(3, [new TrustedKey("root", _root.PublicKey)], new ThresholdRule(new HashSet<string> { _root.KeyId }, 1),
            new Dictionary<string, ThresholdRule>
            {
                ["staging"] = new(new HashSet<string> { _root.KeyId }, 1),
                ["production"] = new(new HashSet<string> { _root.KeyId }, 1),
            },
            maxValidity: new Dictionary<string, TimeSpan> { ["production"] = TimeSpan.FromHours(12) });
        _cli.Api.Trust = new GetTrustPolicyResponse { Envelope = ByteString.CopyFrom(policy.Sign([_root]).ToJson()), Version = 3 };
        _cli.Api.Submitted = new SubmitReleaseResponse
        {
            Release = new Release { ReleaseId = "r-0011", App = "shop", Environment = "staging", Sequence = 7, Threshold = 1, ThresholdMet = true, Signers = { "k" } },
            Rollout = Rollout(RolloutState.Running),
        };
    }

    [Fact]
    public async Task Deploy_PinnedFile_SignsNextSequenceAndSubmits()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "alice"));

        Assert.Equal(0, await _cli.RunAsync("deploy", "-f", _file, "--env", "staging", "--ttl", "2h"));

        var next = Assert.IsType<GetNextSequenceRequest>(_cli.Api.Requests[0]);
        Assert.Equal(("shop", "staging"), (next.App, next.Environment));
        var submit = Assert.IsType<SubmitReleaseRequest>(_cli.Api.Requests.Single(r => r is SubmitReleaseRequest));
        Assert.False(submit.Supersede);
        var envelope = DsseEnvelope.Parse(submit.Envelope.Span, ReleaseManifest.PayloadType);
        var alice = new OperatorKeyStore(Path.Combine(_cli.ConfigFolder, "keys")).LoadPublic("alice");
        Assert.Equal([alice.KeyId], DsseVerifier.VerifiedSigners(envelope, [alice.PublicKey]));
        var manifest = ReleaseManifest.Parse(envelope.Payload);
        Assert.Equal((7L, "staging", Image), (manifest.Sequence, manifest.Environment, manifest.Release.Services[0].Image));
        Assert.Equal(CliHarness.Now.AddHours(2), manifest.ExpiresAt);
        Assert.Contains("release r-0011: shop/staging #7 signed 1/1", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("rollout ro-0011 running over 3 agent(s): 1 applying, 2 waiting", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_NoTtl_ValidFor24Hours()
    {
        await _cli.RunAsync("keys", "generate", "--name", "alice");

        Assert.Equal(0, await _cli.RunAsync("deploy", "-f", _file, "--env", "staging"));

        Assert.Equal(CliHarness.Now.AddHours(24), SubmittedManifest().ExpiresAt);
    }

    [Fact]
    public async Task Deploy_NoTtlPolicyAllowsProduction12h_ValidFor12Hours()
    {
        await _cli.RunAsync("keys", "generate", "--name", "alice");

        Assert.Equal(0, await _cli.RunAsync("deploy", "-f", _file, "--env", "production"));

        Assert.Equal(CliHarness.Now.AddHours(12), SubmittedManifest().ExpiresAt);
    }

    [Fact]
    public async Task Deploy_TtlLongerThanPolicyAllows_UsageErrorNothingSubmitted()
    {
        await _cli.RunAsync("keys", "generate", "--name", "alice");

        Assert.Equal(2, await _cli.RunAsync("deploy", "-f", _file, "--env", "staging", "--ttl", "8d"));

        Assert.Contains("--ttl 8d is longer than the 7d that trust policy v3 allows for 'staging'", _cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Api.Requests, r => r is SubmitReleaseRequest);
    }

    [Fact]
    public async Task Deploy_NoKey_ErrorNamingKeysGenerate()
    {
        Assert.Equal(1, await _cli.RunAsync("deploy", "-f", _file, "--env", "staging"));

        Assert.Contains("fleetctl keys generate", _cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Api.Requests, r => r is SubmitReleaseRequest);
    }

    [Fact]
    public async Task Deploy_TwoKeysNoChoice_UsageError()
    {
        await _cli.RunAsync("keys", "generate", "--name", "alice");
        await _cli.RunAsync("keys", "generate", "--name", "bob");

        Assert.Equal(2, await _cli.RunAsync("deploy", "-f", _file, "--env", "staging"));

        Assert.Contains("--key", _cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_InvalidFile_ErrorNamingField()
    {
        await _cli.RunAsync("keys", "generate", "--name", "alice");
        await File.WriteAllTextAsync(_file, "app: Shop!\nservices: {}\n", TestContext.Current.CancellationToken);

        Assert.Equal(1, await _cli.RunAsync("deploy", "-f", _file, "--env", "staging"));

        Assert.Contains("fleet.yaml", _cli.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Api.Requests);
    }

    [Fact]
    public async Task Deploy_WatchFailed_PlainLinesExitOne()
    {
        await _cli.RunAsync("keys", "generate", "--name", "alice");
        var applying = Rollout(RolloutState.Running);
        applying.Targets.Add(new RolloutTarget { AgentName = "web-1", State = TargetState.Applying, Step = "pulling", Detail = "40%" });
        var failed = Rollout(RolloutState.Failed);
        failed.Reason = "web-1 failed: unhealthy";
        failed.Targets.Add(new RolloutTarget { AgentName = "web-1", State = TargetState.Failed, Detail = "unhealthy", LogTail = "boom" });
        _cli.Api.WatchUpdates.AddRange([applying, failed]);

        Assert.Equal(1, await _cli.RunAsync("deploy", "-f", _file, "--env", "staging", "--supersede", "--watch"));

        Assert.True(Assert.IsType<SubmitReleaseRequest>(_cli.Api.Requests.Single(r => r is SubmitReleaseRequest)).Supersede);
        Assert.Contains("web-1: applying pulling - 40%", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("web-1: failed - unhealthy", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("failed - web-1 failed: unhealthy", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("boom", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_AwaitingApproval_TellsHowToApprove()
    {
        await _cli.RunAsync("keys", "generate", "--name", "alice");
        _cli.Api.Submitted.Release.ThresholdMet = false;
        _cli.Api.Submitted.Release.Threshold = 2;
        _cli.Api.Submitted.Rollout = Rollout(RolloutState.AwaitingApproval);

        Assert.Equal(0, await _cli.RunAsync("deploy", "-f", _file, "--env", "production"));

        Assert.Contains("fleetctl releases approve r-0011", _cli.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(_cli.Api.Requests, r => r is WatchRolloutRequest);
    }

    [Fact]
    public async Task Rollback_Default_ResignsPreviousServicesWithNextSequence()
    {
        await _cli.RunAsync("keys", "generate", "--name", "alice");
        using var old = OperatorKey.Generate("old");
        var older = ReleaseManifest.Create(new ReleaseDefinition { App = "shop", Services = [new ServiceSpec { Name = "web", Image = Image }] },
            "staging", 3, CliHarness.Now.AddDays(-1), TimeSpan.FromHours(1)).Sign([old]).ToJson();
        _cli.Api.Releases = new ListReleasesResponse
        {
            Releases =
            {
                new Release { ReleaseId = "r-4", Sequence = 4, Envelope = ByteString.CopyFromUtf8("{}") },
                new Release { ReleaseId = "r-3", Sequence = 3, Envelope = ByteString.CopyFrom(older) },
            },
        };

        Assert.Equal(0, await _cli.RunAsync("rollback", "shop", "--env", "staging"));

        var submit = Assert.IsType<SubmitReleaseRequest>(_cli.Api.Requests.Single(r => r is SubmitReleaseRequest));
        Assert.True(submit.Supersede);
        Assert.True(submit.Rollback);
        var manifest = ReleaseManifest.Parse(DsseEnvelope.Parse(submit.Envelope.Span, ReleaseManifest.PayloadType).Payload);
        Assert.Equal((7L, Image), (manifest.Sequence, manifest.Release.Services[0].Image));
        Assert.Contains("back to the services of #3 (r-3)", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_UnknownSequence_Error()
    {
        Assert.Equal(1, await _cli.RunAsync("rollback", "shop", "--env", "staging", "--to-sequence", "9"));

        Assert.Contains("no release #9 of shop/staging", _cli.Error, StringComparison.Ordinal);
    }

    private static Rollout Rollout(RolloutState state) => new()
    {
        RolloutId = "ro-0011", ReleaseId = "r-0011", App = "shop", Environment = "staging", Sequence = 7, State = state, Strategy = "rolling",
        TargetCounts = { new TargetStateCount { State = TargetState.Applying, Count = 1 }, new TargetStateCount { State = TargetState.Waiting, Count = 2 } },
    };

    private ReleaseManifest SubmittedManifest()
    {
        var submit = Assert.IsType<SubmitReleaseRequest>(_cli.Api.Requests.Single(r => r is SubmitReleaseRequest));
        return ReleaseManifest.Parse(DsseEnvelope.Parse(submit.Envelope.Span, ReleaseManifest.PayloadType).Payload);
    }

    public void Dispose()
    {
        _root.Dispose();
        _cli.Dispose();
    }
}
