using Fleet.Agent.Releases;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Agent.Tests.Releases;

public sealed class AssignmentHandlerBackupTests
{
    [Fact]
    public async Task HandleAsync_RequiredPreDeployBackupFails_DeployFailsWithTheReasonBeforeAnySwap()
    {
        var backups = new RecordingBackups { Reason = "pre-deploy backup shop/db failed: connection refused" };
        using var harness = new ReleasesHarness(configure: s => s.AddSingleton<IReleaseBackups>(backups));
        harness.InstallTrust();

        var events = await harness.HandleAsync(ReleasesHarness.Apply(WithBackup(harness, preDeploy: true).Sign([harness.Keys.Alice]), runOnceHooks: true));

        Assert.Equal([(AgentEventKind.Progress, "backup"), (AgentEventKind.Failed, "backup")], events.Select(e => (e.Kind, e.Step)));
        Assert.Equal(backups.Reason, events[^1].Detail);
        Assert.Equal(("shop", 5L, "db"), backups.Before.Single());
        Assert.Equal(0, harness.Runtime.Calls);
    }

    [Fact]
    public async Task HandleAsync_NoPreDeployBackup_BackupFeatureNotAskedBeforeTheSwap()
    {
        var backups = new RecordingBackups();
        using var harness = new ReleasesHarness(configure: s => s.AddSingleton<IReleaseBackups>(backups));
        harness.InstallTrust();

        var events = await harness.HandleAsync(ReleasesHarness.Apply(WithBackup(harness, preDeploy: false).Sign([harness.Keys.Alice])));

        Assert.Empty(backups.Before);
        Assert.DoesNotContain(events, e => e.Step == "backup");
    }

    [Fact]
    public async Task HandleAsync_AgentWithoutBackupsFeature_RequiredPreDeployBackupFailsTheDeploy()
    {
        using var harness = new ReleasesHarness();
        harness.InstallTrust();

        var events = await harness.HandleAsync(ReleasesHarness.Apply(WithBackup(harness, preDeploy: true).Sign([harness.Keys.Alice]), runOnceHooks: true));

        var failed = events[^1];
        Assert.Equal((AgentEventKind.Failed, "backup"), (failed.Kind, failed.Step));
        Assert.Contains("without the backups feature", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(0, harness.Runtime.Calls);
    }

    private static ReleaseManifest WithBackup(ReleasesHarness harness, bool preDeploy)
    {
        var manifest = harness.Manifest();
        return manifest with
        {
            Release = manifest.Release with
            {
                Backups = [new BackupSpec { Name = "db", Database = "shop", Store = new BackupStoreSpec { Url = "file:///var/backups" }, EncryptionKeyFile = "/etc/key", PreDeploy = preDeploy }],
            },
        };
    }

    private sealed class RecordingBackups : IReleaseBackups
    {
        public string? Reason { get; init; }

        public List<(string App, long Release, string Name)> Before { get; } = [];

        public Task<string?> BeforeSwapAsync(string app, long release, IReadOnlyList<BackupSpec> backups, CancellationToken cancellationToken)
        {
            Before.AddRange(backups.Where(b => b.PreDeploy).Select(b => (app, release, b.Name)));
            return Task.FromResult(Before.Count > 0 ? Reason : null);
        }
    }
}
