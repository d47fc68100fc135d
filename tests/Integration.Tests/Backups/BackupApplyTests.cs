using Fleet.Agent.Backups;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Integration.Tests.Apply;
using Microsoft.Extensions.Configuration;

namespace Fleet.Integration.Tests.Backups;

/// <summary>A release's pre_deploy backup in the agent's real apply path (real Docker, registry and PostgreSQL).</summary>
[Collection(BackupTestGroup.Name)]
public sealed class BackupApplyTests(BackupFixture fixture)
{
    [Fact]
    public async Task HandleAsync_PreDeployBackup_StoredBeforeTheHookRuns()
    {
        await using var harness = NewHarness();
        var manifest = WithBackupAndHook(harness, 1, port: fixture.Server.Port);

        var events = await harness.HandleAsync(harness.Apply(manifest, harness.Sign(manifest, "alice"), runOnceHooks: true));

        var backupStep = Index(events, e => e.Kind == AgentEventKind.Progress && e.Step == "backup");
        var report = Index(events, e => e.Kind == AgentEventKind.Backup);
        var hook = Index(events, e => e.Kind == AgentEventKind.Progress && e.Step == "hook");
        Assert.True(backupStep < report && report < hook, string.Join(", ", events.Select(e => $"{e.Kind}:{e.Step}")));
        var backup = events[report].Backup;
        Assert.Equal((true, Fleet.Contracts.V1.BackupTrigger.PreDeploy, 1L, "db"), (backup.Succeeded, backup.Trigger, backup.ReleaseSequence, backup.Name));
        Assert.Contains(events, e => e.Kind == AgentEventKind.Healthy);
    }

    [Fact]
    public async Task HandleAsync_NotTheHostThatGoesFirst_TakesNoPreDeployBackup()
    {
        await using var harness = NewHarness();
        var manifest = WithBackupAndHook(harness, 1, port: BackupFixture.ClosedPort());

        var events = await harness.HandleAsync(harness.Apply(manifest, harness.Sign(manifest, "alice"), runOnceHooks: false));

        Assert.DoesNotContain(events, e => e.Kind == AgentEventKind.Backup || e.Step == "backup");
        Assert.Contains(events, e => e.Kind == AgentEventKind.Healthy);
    }

    [Fact]
    public async Task HandleAsync_RequiredPreDeployBackupFails_HostDeployFailsBeforePullOrHook()
    {
        await using var harness = NewHarness();
        var manifest = WithBackupAndHook(harness, 1, port: BackupFixture.ClosedPort());

        var events = await harness.HandleAsync(harness.Apply(manifest, harness.Sign(manifest, "alice"), runOnceHooks: true));

        var failed = events[^1];
        Assert.Equal((AgentEventKind.Failed, "backup"), (failed.Kind, failed.Step));
        Assert.Contains("pre-deploy backup", failed.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(events, e => e.Step is "pulling" or "hook");
        Assert.Null(harness.Applied());
    }

    private static ApplyHarness NewHarness() => new(configure: (services, stateDir) =>
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Backups:AgentName"] = "apply-agent",
            ["Backups:StateDirectory"] = Path.Combine(stateDir, "backups"),
            ["Backups:PostgresBinDirectory"] = BackupFixture.PgBin,
        }).Build();
        services.AddBackups(configuration);
    });

    private ReleaseManifest WithBackupAndHook(ApplyHarness harness, long sequence, int port)
    {
        var image = ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD");
        var definition = harness.Definition(image) with
        {
            Hooks = [new HookSpec { Name = "migrate", Service = "web", Image = image, Command = ["sh", "-c", "echo migrating"], Run = HookRun.EachHost }],
            Backups =
            [
                new BackupSpec
                {
                    Name = "db",
                    Host = fixture.Server.Host,
                    Port = port,
                    User = fixture.Server.Username!,
                    Database = fixture.SourceDatabase,
                    Store = new BackupStoreSpec { Url = "file://" + fixture.Folder.Combine("apply-" + Guid.NewGuid().ToString("N")) },
                    EncryptionKeyFile = fixture.KeyFile,
                    PreDeploy = true,
                },
            ],
        };
        return ReleaseManifest.Create(definition, "staging", sequence, TimeProvider.System.GetUtcNow(), TimeSpan.FromHours(1));
    }

    private static int Index(IReadOnlyList<AgentEvent> events, Func<AgentEvent, bool> match)
    {
        var index = events.ToList().FindIndex(e => match(e));
        Assert.True(index >= 0, "missing event among: " + string.Join(", ", events.Select(e => $"{e.Kind}:{e.Step}")));
        return index;
    }
}
