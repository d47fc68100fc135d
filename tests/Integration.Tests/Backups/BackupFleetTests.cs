using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Agent.Backups;
using Fleet.Agent.Identity;
using Fleet.Integration.Tests.Foundation;
using Fleet.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Integration.Tests.Backups;

/// <summary>
/// fleetctl backups against a real controller and an in-process agent whose settings.json declares
/// backups of the pgbench database: run, list, restore, verify, refusals, failures in status, and
/// reports of runs made while the controller was down.
/// </summary>
[Collection(BackupTestGroup.Name)]
public sealed class BackupFleetTests(BackupFixture backups, FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task BackupsCommands_RunListRestoreVerify_RestoredTablesEqualTheSource()
    {
        await using var agent = await StartAgentAsync("backup-e2e");

        var run = await fleet.Admin.JsonAsync("backups", "run", "--agent", agent.Name, "--app", "host", "--name", "db");
        var id = run.GetProperty("run").GetProperty("backupId").GetString()!;
        Assert.True(run.GetProperty("run").GetProperty("succeeded").GetBoolean());

        var listed = await ListedAsync(agent.Name, r => r.GetProperty("backupId").GetString() == id);
        Assert.Equal(("host", "db", "manual"), (listed.GetProperty("app").GetString(), listed.GetProperty("name").GetString(), listed.GetProperty("trigger").GetString()));
        Assert.True(listed.GetProperty("sizeBytes").GetInt64() > 0);

        var target = "restored_" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var restored = await fleet.Admin.JsonAsync("backups", "restore", "--agent", agent.Name, "--app", "host", "--name", "db", "--backup", id, "--to-database", target);
            Assert.Contains(target, restored.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(await backups.FingerprintAsync(backups.SourceDatabase), await backups.FingerprintAsync(target));
        }
        finally
        {
            await backups.DropDatabaseAsync(target);
        }

        var verified = await fleet.Admin.JsonAsync("backups", "verify", "--agent", agent.Name, "--app", "host", "--name", "db");
        Assert.Equal(("verify", id), (verified.GetProperty("run").GetProperty("operation").GetString(), verified.GetProperty("run").GetProperty("backupId").GetString()));
    }

    [Fact]
    public async Task BackupsCommands_BadRequests_RefusedWithClearReasons()
    {
        await using var agent = await StartAgentAsync("backup-refusals");
        var id = (await fleet.Admin.JsonAsync("backups", "run", "--agent", agent.Name, "--app", "host", "--name", "db")).GetProperty("run").GetProperty("backupId").GetString()!;
        var offline = fleet.Enrollment("backup-offline", await fleet.JoinTokenAsync());
        await new Enroller().EnrollAsync(offline, CancellationToken.None);
        var viewer = fleet.NewOperator();
        await viewer.LoginAsync(fleet.Endpoint, (await fleet.Admin.OkAsync("tokens", "create", "--role", "viewer")).Trim());

        await AssertRefusedAsync(fleet.Admin, "no agent is named 'nobody'", "backups", "run", "--agent", "nobody", "--app", "host", "--name", "db");
        await AssertRefusedAsync(fleet.Admin, "'backup-offline' is not connected", "backups", "run", "--agent", "backup-offline", "--app", "host", "--name", "db");
        await AssertRefusedAsync(fleet.Admin, "no backup 'host/nope' is declared", "backups", "run", "--agent", agent.Name, "--app", "host", "--name", "nope");
        await AssertRefusedAsync(fleet.Admin, "already exists", "backups", "restore", "--agent", agent.Name, "--app", "host", "--name", "db", "--backup", id, "--to-database", backups.SourceDatabase);
        await AssertRefusedAsync(viewer, "deployer", "backups", "run", "--agent", agent.Name, "--app", "host", "--name", "db");
        await AssertRefusedAsync(viewer, "admin", "backups", "restore", "--agent", agent.Name, "--app", "host", "--name", "db", "--backup", id, "--to-database", "never_created");
        Assert.False(await backups.DatabaseExistsAsync("never_created"));
        Assert.Equal(JsonValueKind.Array, (await viewer.JsonAsync("backups", "list")).GetProperty("runs").ValueKind);
    }

    [Fact]
    public async Task BackupsRun_WrongPassword_FailsAndShowsInStatus()
    {
        await backups.RequirePasswordRoleAsync();
        await using var agent = await StartAgentAsync("backup-locked");

        await AssertRefusedAsync(fleet.Admin, "password authentication failed", "backups", "run", "--agent", agent.Name, "--app", "host", "--name", "locked");

        var status = await Eventually.ReturnsAsync(
            () => fleet.Admin.JsonAsync("status"),
            s => s.GetProperty("failedBackups").EnumerateArray().Any(r => r.GetProperty("agent").GetString() == agent.Name),
            ReportTimeout,
            "the failed backup in fleetctl status");
        var failed = status.GetProperty("failedBackups").EnumerateArray().Single(r => r.GetProperty("agent").GetString() == agent.Name);
        Assert.Equal(("locked", false), (failed.GetProperty("name").GetString(), failed.GetProperty("succeeded").GetBoolean()));
        Assert.DoesNotContain("not-the-password", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains($"problem: failed backup {agent.Name} host/locked: ", await fleet.Admin.OkAsync("status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackupReport_RunWhileControllerDown_DeliveredAfterReconnect()
    {
        await using var agent = await StartAgentAsync("backup-offline-run");
        await fleet.WaitForStateAsync(agent.Name, "connected");
        var service = agent.Services.GetRequiredService<BackupService>();

        await fleet.Controller.KillAsync();
        var run = await service.RunAsync(service.Find("host", "db"), BackupTrigger.Manual, releaseSequence: null, TestContext.Current.CancellationToken);
        await fleet.Controller.StartAsync(CancellationToken.None);

        Assert.True(run.Succeeded, run.Error);
        await ListedAsync(agent.Name, r => r.GetProperty("backupId").GetString() == run.Manifest!.Id);
    }

    private async Task<RunningAgent> StartAgentAsync(string name)
    {
        var agent = await fleet.StartAgentAsync(name, prepare: WriteSettings);
        await fleet.WaitForStateAsync(name, "connected");
        return agent;
    }

    // settings.json beside the agent's identity: one good declaration and one whose password is wrong.
    private void WriteSettings(string stateDirectory)
    {
        var store = "file://" + Path.Combine(stateDirectory, "store");
        var wrongPassword = Path.Combine(stateDirectory, "wrong-password");
        File.WriteAllText(wrongPassword, "not-the-password\n");
        var good = backups.Declaration(store);
        good.App = "host";
        var locked = backups.Declaration(store, name: "locked");
        locked.App = "host";
        locked.User = BackupFixture.PasswordRole;
        locked.PasswordFile = wrongPassword;
        var settings = new JsonObject
        {
            ["Backups"] = new JsonObject
            {
                ["PostgresBinDirectory"] = BackupFixture.PgBin,
                ["Declarations"] = new JsonArray(BackupFixture.SettingsJson(good), BackupFixture.SettingsJson(locked)),
            },
        };
        File.WriteAllText(Path.Combine(stateDirectory, "settings.json"), settings.ToJsonString());
    }

    private Task<JsonElement> ListedAsync(string agent, Func<JsonElement, bool> match) =>
        Eventually.ReturnsAsync(
            async () => (await fleet.Admin.JsonAsync("backups", "list", "--agent", agent)).GetProperty("runs").EnumerateArray().FirstOrDefault(match),
            r => r.ValueKind == JsonValueKind.Object,
            ReportTimeout,
            $"the backup report of {agent} in fleetctl backups list");

    private static async Task AssertRefusedAsync(FleetCli cli, string reason, params string[] args)
    {
        var result = await cli.RunAsync(args);
        Assert.True(result.ExitCode == 1, $"fleetctl {string.Join(' ', args)} should fail: {result}");
        Assert.Contains(reason, result.Stderr, StringComparison.Ordinal);
    }
}
