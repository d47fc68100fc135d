using Fleet.Agent.Acme;
using Fleet.Agent.Backups;
using Fleet.Agent.Deploy;
using Fleet.Agent.Releases;
using Fleet.Agent.Tests.Support;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Fleet.Agent.Tests.Releases;

/// <summary>
/// What a release declares (backups, certificates) follows the release that serves: after an apply,
/// the agent's own rollback, and a controller's revert. Swaps run over <see cref="InMemoryRuntime"/>
/// with the backups and certificates features as the agent host adds them.
/// </summary>
public sealed class AssignmentHandlerDeclarationsTests : IDisposable
{
    private const string V1Image = "127.0.0.1:5000/shop/web@sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string V2Image = "127.0.0.1:5000/shop/web@sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private readonly InMemoryRuntime _runtime = new();
    private readonly FakeLogger<AssignmentHandler> _log = new();
    private readonly TempDir _features = new();
    private readonly ReleasesHarness _harness;

    public AssignmentHandlerDeclarationsTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection().Build();
        _harness = new ReleasesHarness(configure: s => s
            .AddSingleton<IContainerRuntime>(_runtime)
            .AddSingleton<ILogger<AssignmentHandler>>(_log)
            .AddBackups(configuration, _features.Path, "web-1")
            .AddAcme(configuration, _features.Path));
        _harness.InstallTrust();
    }

    [Fact]
    public async Task HandleAsync_RevertToThePreviousRelease_ItsBackupsAndCertificatesAreDeclaredAgain()
    {
        await ApplyAsync(1, V1Image, "v1");
        await ApplyAsync(2, V2Image, "v2");
        AssertDeclared("v2");

        var events = await _harness.HandleAsync(Revert(from: 2, to: 1));

        Assert.Equal(AgentEventKind.Reverted, events[^1].Kind);
        AssertDeclared("v1");
    }

    [Fact]
    public async Task HandleAsync_ReleaseTurnsUnhealthyDuringTheWatch_PreviousReleasesDeclarationsRestored()
    {
        await ApplyAsync(1, V1Image, "v1");
        _runtime.TurnUnhealthy(V2Image, passingChecks: 1);

        var events = await ApplyAsync(2, V2Image, "v2");

        Assert.Equal([AgentEventKind.Applied, AgentEventKind.Unhealthy, AgentEventKind.Reverted], Outcomes(events).TakeLast(3));
        AssertDeclared("v1");
    }

    [Fact]
    public async Task HandleAsync_RevertAfterTheSwapAlreadyReturned_PreviousReleasesDeclarationsRestored()
    {
        await ApplyAsync(1, V1Image, "v1");
        await ApplyAsync(2, V2Image, "v2");
        // The agent stopped after the journal recorded the rollback, before the listeners heard of it.
        var engine = _harness.Provider.GetRequiredService<SwapEngine>();
        Assert.True((await engine.RollBackAsync("shop", progress: null, TestContext.Current.CancellationToken)).Succeeded);
        AssertDeclared("v2");

        var events = await _harness.HandleAsync(Revert(from: 2, to: 1));

        Assert.Equal(AgentEventKind.Reverted, events[^1].Kind);
        Assert.Contains("already serves", events[^1].Detail, StringComparison.Ordinal);
        AssertDeclared("v1");
    }

    [Fact]
    public async Task HandleAsync_RevertFirstReleaseToNothing_AppsDeclarationsRemoved()
    {
        await ApplyAsync(1, V1Image, "v1");

        var events = await _harness.HandleAsync(Revert(from: 1, to: 0));

        Assert.Equal(AgentEventKind.Reverted, events[^1].Kind);
        AssertDeclared();
    }

    [Fact]
    public async Task HandleAsync_RevertFails_DeclarationsUnchangedUntilARevertSucceeds()
    {
        await ApplyAsync(1, V1Image, "v1");
        await ApplyAsync(2, V2Image, "v2");
        _runtime.TurnUnhealthy(V1Image);

        var failed = await _harness.HandleAsync(Revert(from: 2, to: 1, rolloutId: "r-revert-1"));

        Assert.Equal((AgentEventKind.Failed, "revert"), (failed[^1].Kind, failed[^1].Step));
        AssertDeclared("v2");

        _runtime.Recover(V1Image);
        var reverted = await _harness.HandleAsync(Revert(from: 2, to: 1, rolloutId: "r-revert-2"));

        Assert.Equal(AgentEventKind.Reverted, reverted[^1].Kind);
        AssertDeclared("v1");
    }

    [Fact]
    public async Task HandleAsync_RevertToAReleaseWhoseManifestTheAgentNeverKept_RevertsAndLeavesDeclarations()
    {
        await ApplyAsync(1, V1Image, "v1");
        await ApplyAsync(2, V2Image, "v2");
        // As after an upgrade from an agent that kept no manifests.
        File.Delete(Path.Combine(_harness.StateDir, "releases", "manifests.json"));

        var events = await _harness.HandleAsync(Revert(from: 2, to: 1));

        Assert.Equal(AgentEventKind.Reverted, events[^1].Kind);
        AssertDeclared("v2");
        Assert.Contains(_log.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("holds no manifest", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _harness.Dispose();
        _features.Dispose();
    }

    private static IEnumerable<AgentEventKind> Outcomes(IReadOnlyList<AgentEvent> events) =>
        events.Select(e => e.Kind).Where(k => k != AgentEventKind.Progress);

    private static ReleaseAssignment Revert(long from, long to, string rolloutId = "r-revert") => new()
    {
        RolloutId = rolloutId, App = "shop", Sequence = from, Action = AssignmentAction.Revert, RevertToSequence = to,
    };

    // A release whose web service is checked by a command and which declares one backup and one certificate named `declares`.
    private async Task<IReadOnlyList<AgentEvent>> ApplyAsync(long sequence, string image, string declares)
    {
        var manifest = _harness.Manifest(sequence, image: image);
        manifest = manifest with
        {
            Release = manifest.Release with
            {
                // With no minimum healthy time, the watch after the switch probes once: no clock to advance.
                MinHealthyTime = TimeSpan.Zero,
                Services =
                [
                    new Core.Releases.ServiceSpec
                    {
                        Name = "web",
                        Image = image,
                        Health = new Core.Releases.HealthCheckSpec
                        {
                            Type = HealthCheckType.Command, Command = ["true"], Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1), Retries = 1,
                        },
                    },
                ],
                Backups = [new BackupSpec { Name = declares, Database = "shop", Store = new BackupStoreSpec { Url = "file:///var/backups" }, EncryptionKeyFile = "/etc/key" }],
                Certificates =
                [
                    new CertificateSpec { Name = declares, Domains = [$"{declares}.example.test"], Challenge = new CertificateChallengeSpec { Type = CertificateChallengeType.Http01 } },
                ],
            },
        };
        var assignment = ReleasesHarness.Apply(manifest.Sign([_harness.Keys.Alice]), sequence: sequence);
        assignment.MinHealthySeconds = 0;
        return await _harness.HandleAsync(assignment);
    }

    private void AssertDeclared(params string[] names)
    {
        Assert.Equal(names, _harness.Provider.GetRequiredService<ReleaseBackupDeclarations>().Current.Select(d => d.Name));
        Assert.Equal(names, _harness.Provider.GetRequiredService<ReleaseCertificates>().Current.Select(d => d.Name));
    }
}
