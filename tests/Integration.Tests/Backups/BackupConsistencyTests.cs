using Fleet.Agent.Backups;
using Fleet.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fleet.Integration.Tests.Backups;

[Collection(BackupTestGroup.Name)]
public sealed class BackupConsistencyTests(BackupFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Every transfer moves an amount out of one table and into another in one transaction, so
    /// at any single moment the two tables sum to zero. pg_dump is slowed (its output waits 2 s
    /// in a pipe) while transfers keep committing: a dump that read the tables at different
    /// moments would restore to a non-zero sum.
    /// </summary>
    [Fact]
    public async Task RunAsync_WritesDuringTheDump_RestoresOneConsistentSnapshot()
    {
        await using var source = await PostgresDatabase.CreateAsync("backup_ledger", Ct);
        await fixture.ExecuteAsync(source.Name,
            "CREATE TABLE debits (id bigserial PRIMARY KEY, amount bigint NOT NULL, memo text NOT NULL); " +
            "CREATE TABLE credits (id bigserial PRIMARY KEY, amount bigint NOT NULL, memo text NOT NULL); " +
            "INSERT INTO debits (amount, memo) SELECT -g, md5(g::text) || md5((g + 1)::text) FROM generate_series(1, 100000) g; " +
            "INSERT INTO credits (amount, memo) SELECT g, md5(g::text) || md5((g + 1)::text) FROM generate_series(1, 100000) g");
        var declaration = fixture.Declaration("file://" + fixture.Folder.Combine("ledger-" + Guid.NewGuid().ToString("N")), name: "ledger", database: source.Name);
        using var slowHost = fixture.CreateHost(fixture.PgDumpStandIn($"\"{BackupFixture.PgBin}/pg_dump\" \"$@\" | (sleep 2; cat)"));
        using var stopWriting = new CancellationTokenSource();
        var writer = TransferUntilStoppedAsync(source.ConnectionString, stopWriting.Token);

        var before = await CommittedTransfersAsync(source.Name);
        var run = await slowHost.Services.GetRequiredService<BackupService>().RunAsync(declaration, BackupTrigger.Manual, null, Ct);
        var after = await CommittedTransfersAsync(source.Name);
        await stopWriting.CancelAsync();
        await writer;

        Assert.True(run.Succeeded, run.Error);
        Assert.True(after - before > 10, $"only {after - before} transfers committed during the dump: the test proved nothing");
        var target = "restored_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            var restore = await fixture.Services.GetRequiredService<BackupRestorer>().RestoreAsync(declaration, run.Manifest!.Id, target, BackupTrigger.Manual, Ct);
            Assert.True(restore.Succeeded, restore.Error);
            var restoredTransfers = await CommittedTransfersAsync(target);
            Assert.InRange(restoredTransfers, before, after);
            Assert.Equal(0L, await fixture.ScalarAsync(target, "SELECT ((SELECT sum(amount) FROM debits) + (SELECT sum(amount) FROM credits))::bigint"));
        }
        finally
        {
            await fixture.DropDatabaseAsync(target);
        }
    }

    private async Task<long> CommittedTransfersAsync(string database) =>
        (long)(await fixture.ScalarAsync(database, "SELECT count(*) FROM credits WHERE memo = 'transfer'"))!;

    private static async Task TransferUntilStoppedAsync(string connectionString, CancellationToken stop)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        for (var amount = 1L; !stop.IsCancellationRequested; amount++)
        {
            await using var transfer = new NpgsqlCommand(
                "BEGIN; INSERT INTO debits (amount, memo) VALUES (-@a, 'transfer'); " +
                "INSERT INTO credits (amount, memo) VALUES (@a, 'transfer'); COMMIT;", connection);
            transfer.Parameters.AddWithValue("a", amount);
            await transfer.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
