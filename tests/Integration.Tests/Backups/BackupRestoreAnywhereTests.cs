using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Integration.Tests.Foundation;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Backups;

/// <summary>
/// The server died: a backup that one agent made in a gs:// store is still listed after that agent
/// is stopped and revoked, and another agent that reads the same store and holds the key restores it.
/// </summary>
[Collection(BackupTestGroup.Name)]
public sealed class BackupRestoreAnywhereTests(BackupFixture backups, FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task BackupsRestore_BackupOfARevokedAgent_RestoredByAnotherAgentOfTheSameStore()
    {
        var store = $"gs://{TestEnvironment.Require("FLEET_TEST_GCS_BUCKET", "GCS emulator")}/moved-{Guid.NewGuid():N}";
        string id;
        await using (var old = await StartAgentAsync("backup-old-host", store))
        {
            var run = await fleet.Admin.JsonAsync("backups", "run", "--agent", old.Name, "--app", "host", "--name", "db");
            id = run.GetProperty("run").GetProperty("backupId").GetString()!;
        }
        await fleet.Admin.OkAsync("agents", "revoke", "backup-old-host");
        await using var replacement = await StartAgentAsync("backup-new-host", store);

        var listed = await Eventually.ReturnsAsync(
            async () => (await fleet.Admin.JsonAsync("backups", "list", "--app", "host")).GetProperty("runs").EnumerateArray().FirstOrDefault(r => r.GetProperty("backupId").GetString() == id),
            r => r.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(60), "the revoked agent's backup in fleetctl backups list");
        Assert.Equal("backup-old-host", listed.GetProperty("agent").GetString());
        var target = "moved_" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var restored = await fleet.Admin.JsonAsync("backups", "restore", "--agent", replacement.Name, "--app", "host", "--name", "db", "--backup", id, "--to-database", target);

            Assert.Contains(target, restored.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(await backups.FingerprintAsync(backups.SourceDatabase), await backups.FingerprintAsync(target));
        }
        finally
        {
            await backups.DropDatabaseAsync(target);
        }
    }

    private async Task<RunningAgent> StartAgentAsync(string name, string store)
    {
        var agent = await fleet.StartAgentAsync(name, prepare: state =>
        {
            var declaration = backups.Declaration(store);
            declaration.App = "host";
            declaration.Store.Endpoint = TestEnvironment.Require("FLEET_TEST_GCS_ENDPOINT", "GCS emulator");
            declaration.Store.Anonymous = true;
            declaration.Store.PartSizeMiB = 64;
            var settings = new JsonObject
            {
                ["Backups"] = new JsonObject
                {
                    ["PostgresBinDirectory"] = BackupFixture.PgBin,
                    ["Declarations"] = new JsonArray(BackupFixture.SettingsJson(declaration)),
                },
            };
            File.WriteAllText(Path.Combine(state, "settings.json"), settings.ToJsonString());
        });
        await fleet.WaitForStateAsync(name, "connected");
        return agent;
    }
}
