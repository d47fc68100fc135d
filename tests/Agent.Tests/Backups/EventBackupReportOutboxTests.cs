using Fleet.Agent.Backups;
using Fleet.Agent.Events;
using Fleet.Agent.Tests.Support;
using Proto = Fleet.Contracts.V1;

namespace Fleet.Agent.Tests.Backups;

public sealed class EventBackupReportOutboxTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task AppendAsync_FailedRun_BecomesBackupEventWithReportAndSequence()
    {
        using var events = new EventOutbox(_dir.Path);
        var outbox = new EventBackupReportOutbox(events);
        var at = new DateTimeOffset(2026, 1, 24, 3, 0, 0, TimeSpan.Zero);
        await events.AppendAsync(new Proto.AgentEvent { Kind = Proto.AgentEventKind.Progress }, TestContext.Current.CancellationToken);

        var written = await outbox.AppendAsync(
            new BackupReport(0, BackupOperation.Backup, BackupTrigger.PreDeploy, "shop", "db", "web-1", false, null, "pg_dump: connection refused", at, at.AddSeconds(2), null, null, 7),
            TestContext.Current.CancellationToken);

        Assert.Equal(2, written.Sequence);
        var stored = (await events.ReadPendingAsync(1, 10, TestContext.Current.CancellationToken)).Single();
        Assert.Equal((Proto.AgentEventKind.Backup, "shop", 7L, "pg_dump: connection refused"), (stored.Kind, stored.App, stored.ReleaseSequence, stored.Detail));
        Assert.Equal(
            (Proto.BackupOperation.Backup, Proto.BackupTrigger.PreDeploy, "db", false, "", "pg_dump: connection refused", 7L),
            (stored.Backup.Operation, stored.Backup.Trigger, stored.Backup.Name, stored.Backup.Succeeded, stored.Backup.BackupId, stored.Backup.Error, stored.Backup.ReleaseSequence));
        Assert.Equal(at.AddSeconds(2), stored.Backup.FinishedAt.ToDateTimeOffset());
    }

    public void Dispose() => _dir.Dispose();
}
