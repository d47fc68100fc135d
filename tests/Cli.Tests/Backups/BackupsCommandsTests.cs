using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Cli.Tests.Backups;

public sealed class BackupsCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public BackupsCommandsTests() => _cli.SaveTwoContexts();

    private static BackupReport Report(bool ok = true) => new()
    {
        Operation = BackupOperation.Backup,
        Trigger = BackupTrigger.Manual,
        App = "shop",
        Name = "db",
        Succeeded = ok,
        BackupId = ok ? "20250301T115900Z-1a2b3c4d" : "",
        Error = ok ? "" : "pg_dump: connection refused",
        StartedAt = Timestamp.FromDateTimeOffset(CliHarness.Now.AddMinutes(-1)),
        FinishedAt = Timestamp.FromDateTimeOffset(CliHarness.Now.AddSeconds(-50)),
        SizeBytes = 2048,
        Sha256 = ok ? "abc" : "",
    };

    [Fact]
    public async Task List_Json_RunsWithDocumentedFieldsAndFilters()
    {
        _cli.Api.Backups = new ListBackupsResponse { Runs = { new BackupRun { Agent = "web-1", Report = Report(), ReceivedAt = Timestamp.FromDateTimeOffset(CliHarness.Now) } } };

        Assert.Equal(0, await _cli.RunAsync("backups", "list", "--agent", "web-1", "--app", "shop", "-o", "json"));

        var request = Assert.IsType<ListBackupsRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(("web-1", "shop", BackupOperation.Backup), (request.Agent, request.App, request.Operation));
        using var json = JsonDocument.Parse(_cli.Out);
        var run = json.RootElement.GetProperty("runs").EnumerateArray().Single();
        Assert.Equal(
            ["agent", "app", "name", "operation", "trigger", "succeeded", "backupId", "error", "startedAt", "finishedAt", "sizeBytes", "sha256", "releaseSequence", "receivedAt"],
            run.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("backup", "manual", "20250301T115900Z-1a2b3c4d"), (run.GetProperty("operation").GetString(), run.GetProperty("trigger").GetString(), run.GetProperty("backupId").GetString()));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("releaseSequence").ValueKind);
    }

    [Fact]
    public async Task List_Table_ShowsFailedRunWithItsReason()
    {
        _cli.Api.Backups = new ListBackupsResponse { Runs = { new BackupRun { Agent = "web-1", Report = Report(ok: false) } } };

        Assert.Equal(0, await _cli.RunAsync("backups", "list"));

        Assert.Contains("connection refused", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("shop/db", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Ok_PrintsDetailAndSendsTheTarget()
    {
        _cli.Api.BackupRun = new RunBackupResponse { Detail = "backup 20250301T115900Z-1a2b3c4d of shop/db: 2048 bytes stored", Report = Report() };

        Assert.Equal(0, await _cli.RunAsync("backups", "run", "--agent", "web-1", "--app", "shop", "--name", "db"));

        var request = Assert.IsType<RunBackupRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(("web-1", "shop", "db"), (request.Agent, request.App, request.Name));
        Assert.Contains("2048 bytes stored", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("Backing up shop/db on web-1", _cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AgentRefuses_ExitsOneWithTheReason()
    {
        _cli.Api.Failure = new CliException("agent 'web-1': no backup 'shop/nope' is declared on this agent");

        Assert.Equal(1, await _cli.RunAsync("backups", "run", "--agent", "web-1", "--app", "shop", "--name", "nope"));

        Assert.Contains("no backup 'shop/nope' is declared", _cli.Error, StringComparison.Ordinal);
        Assert.Equal("", _cli.Out);
    }

    [Fact]
    public async Task Restore_WithoutTargetDatabase_UsageError()
    {
        Assert.Equal(2, await _cli.RunAsync("backups", "restore", "--agent", "web-1", "--app", "shop", "--name", "db", "--backup", "x"));

        Assert.Empty(_cli.Api.Requests);
        Assert.Contains("--to-database", _cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_Json_DetailAndRun()
    {
        _cli.Api.BackupVerified = new VerifyBackupResponse { Detail = "verified", Report = Report() };

        Assert.Equal(0, await _cli.RunAsync("backups", "verify", "--agent", "web-1", "--app", "shop", "--name", "db", "-o", "json"));

        var request = Assert.IsType<VerifyBackupRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal("", request.BackupId);
        using var json = JsonDocument.Parse(_cli.Out);
        Assert.Equal("verified", json.RootElement.GetProperty("detail").GetString());
        Assert.Equal("web-1", json.RootElement.GetProperty("run").GetProperty("agent").GetString());
        Assert.Equal("", _cli.Error);
    }

    [Fact]
    public async Task Status_FailedBackup_ShownAsProblemLineAndInJson()
    {
        _cli.Api.FleetStatus = new GetFleetStatusResponse
        {
            AgentsTotal = 1,
            AgentsConnected = 1,
            Agents = { Samples.ConnectedAgent() },
            FailedBackups = { new BackupRun { Agent = "web-1", Report = Report(ok: false) } },
        };

        Assert.Equal(0, await _cli.RunAsync("status"));
        Assert.Contains("problem: failed backup web-1 shop/db: pg_dump: connection refused", _cli.Out, StringComparison.Ordinal);

        Assert.Equal(0, await _cli.RunAsync("status", "-o", "json"));
        using var json = JsonDocument.Parse(_cli.Out);
        var failed = json.RootElement.GetProperty("failedBackups").EnumerateArray().Single();
        Assert.Equal("pg_dump: connection refused", failed.GetProperty("error").GetString());
    }

    public void Dispose() => _cli.Dispose();
}
