using System.Security.Cryptography;
using Fleet.Agent.Backups;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Integration.Tests.Backups;

[Collection(BackupTestGroup.Name)]
public sealed class BackupRoundTripTests(BackupFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BackupService Backups => fixture.Services.GetRequiredService<BackupService>();

    private BackupRestorer Restorer => fixture.Services.GetRequiredService<BackupRestorer>();

    [Fact]
    public async Task RunAsync_FileStore_RestoresIntoAnEqualDatabase()
    {
        var store = fixture.Folder.Combine("file-store-" + Guid.NewGuid().ToString("N"));
        var declaration = fixture.Declaration("file://" + store);

        var run = await Backups.RunAsync(declaration, BackupTrigger.Manual, releaseSequence: 42, Ct);

        Assert.True(run.Succeeded, run.Error);
        var manifest = run.Manifest!;
        var data = Path.Combine(store, "it", "db", manifest.Id + BackupManifest.DataSuffix);
        Assert.Equal(new FileInfo(data).Length, manifest.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(data, Ct))), manifest.Sha256);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(data));
        Assert.StartsWith("15", manifest.ServerVersion, StringComparison.Ordinal);
        Assert.Equal((42L, "it-agent", fixture.SourceDatabase), (manifest.ReleaseSequence!.Value, manifest.Agent, manifest.Database));
        Assert.Empty(Directory.GetFiles(Path.Combine(store, "it", "db"), ".*"));
        Assert.True(run.Report is { Succeeded: true, Operation: BackupOperation.Backup, Sequence: > 0 });

        await AssertRestoresEqualAsync(declaration, manifest.Id);
    }

    [Fact]
    public async Task VerifyLatestAsync_GoodBackup_SucceedsAndDropsScratchDatabase()
    {
        var declaration = fixture.Declaration("file://" + fixture.Folder.Combine("verify-" + Guid.NewGuid().ToString("N")));
        var run = await Backups.RunAsync(declaration, BackupTrigger.Manual, null, Ct);
        Assert.True(run.Succeeded, run.Error);

        var verify = await Restorer.VerifyAsync(declaration, run.Manifest!.Id, BackupTrigger.Schedule, Ct);

        Assert.True(verify.Succeeded, verify.Error);
        Assert.Equal(BackupOperation.Verify, verify.Report.Operation);
        Assert.Equal(0L, await fixture.ScalarAsync("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'fleet_verify_%'"));
    }

    private async Task AssertRestoresEqualAsync(BackupDeclaration declaration, string backupId)
    {
        var target = "restored_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            var restore = await Restorer.RestoreAsync(declaration, backupId, target, BackupTrigger.Manual, Ct);

            Assert.True(restore.Succeeded, restore.Error);
            var expected = await fixture.FingerprintAsync(fixture.SourceDatabase);
            Assert.Equal(["noise", "pgbench_accounts", "pgbench_branches", "pgbench_history", "pgbench_tellers"], expected.Keys.Order(StringComparer.Ordinal));
            Assert.StartsWith("100000:", expected["pgbench_accounts"], StringComparison.Ordinal);
            Assert.Equal(expected, await fixture.FingerprintAsync(target));
        }
        finally
        {
            await fixture.DropDatabaseAsync(target);
        }
    }
}
