using Fleet.Agent.Backups;

namespace Fleet.Agent.Tests.Backups;

public sealed class FileBackupReportOutboxTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-outbox-").FullName;

    [Fact]
    public async Task ReadPendingAsync_AfterRestart_ReturnsUnacknowledgedReportsInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        using (var first = Outbox())
        {
            await first.AppendAsync(Report("a"), ct);
            await first.AppendAsync(Report("b"), ct);
            await first.AppendAsync(Report("c"), ct);
            await first.AcknowledgeAsync(1, ct);
        }

        using var second = Outbox();
        var pending = await second.ReadPendingAsync(10, ct);

        Assert.Equal([2L, 3L], pending.Select(r => r.Sequence));
        Assert.Equal(["b", "c"], pending.Select(r => r.BackupId));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, "reports.jsonl")));
    }

    [Fact]
    public async Task AppendAsync_AfterEverythingAcknowledged_ContinuesTheSequence()
    {
        var ct = TestContext.Current.CancellationToken;
        using (var first = Outbox())
        {
            await first.AppendAsync(Report("a"), ct);
            await first.AcknowledgeAsync(1, ct);
        }

        using var second = Outbox();
        var next = await second.AppendAsync(Report("b"), ct);

        Assert.Equal(2, next.Sequence);
        Assert.Equal([2L], (await second.ReadPendingAsync(10, ct)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task ReadPendingAsync_TornLastLine_SkipsIt()
    {
        var ct = TestContext.Current.CancellationToken;
        using var outbox = Outbox();
        await outbox.AppendAsync(Report("a"), ct);
        await File.AppendAllTextAsync(Path.Combine(_folder, "reports.jsonl"), "{\"sequence\":2,\"operat", ct);

        Assert.Equal([1L], (await outbox.ReadPendingAsync(10, ct)).Select(r => r.Sequence));
    }

    private FileBackupReportOutbox Outbox() =>
        new(Microsoft.Extensions.Options.Options.Create(new BackupsOptions { StateDirectory = _folder }));

    private static BackupReport Report(string id) =>
        new(0, BackupOperation.Backup, BackupTrigger.Schedule, "shop", "db", "web-1", true, id, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, "00", null);

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
