using Fleet.Agent.Backups;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Integration.Tests.Backups;

/// <summary>
/// What every backup store must do, run against each real store (file, S3 through s3rver, GCS
/// through its emulator): round trip, retention, a failed run leaving nothing, an unreachable
/// store, an unknown backup.
/// </summary>
public abstract class BackupStoreContractTests(BackupFixture fixture)
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected BackupFixture Fixture => fixture;

    private BackupService Backups => fixture.Services.GetRequiredService<BackupService>();

    private BackupRestorer Restorer => fixture.Services.GetRequiredService<BackupRestorer>();

    /// <summary>A declaration whose store location no other test uses.</summary>
    internal abstract BackupDeclaration NewDeclaration();

    /// <summary>A declaration whose store cannot be reached, and the text its error contains.</summary>
    internal abstract (BackupDeclaration Declaration, string Error) UnreachableDeclaration();

    [Fact]
    public async Task RunAsync_Backup_ListedWithItsSizeAndRestoresIntoAnEqualDatabase()
    {
        var declaration = NewDeclaration();

        var run = await Backups.RunAsync(declaration, BackupTrigger.Manual, releaseSequence: 42, Ct);

        Assert.True(run.Succeeded, run.Error);
        var manifest = run.Manifest!;
        Assert.Equal((42L, "it-agent", fixture.SourceDatabase), (manifest.ReleaseSequence!.Value, manifest.Agent, manifest.Database));
        var stored = await Store(declaration).ListAsync("it/db/", Ct);
        Assert.Equal(
            [manifest.Id + BackupManifest.DataSuffix, manifest.Id + BackupManifest.ManifestSuffix],
            stored.Select(o => o.Key["it/db/".Length..]).Order(StringComparer.Ordinal));
        Assert.Equal(manifest.SizeBytes, stored.Single(o => o.Key.EndsWith(BackupManifest.DataSuffix, StringComparison.Ordinal)).Size);
        await AssertRestoresEqualAsync(declaration, manifest.Id);
    }

    [Fact]
    public async Task PruneAsync_AllCountsZero_KeepsOnlyTheNewestGoodBackup()
    {
        var declaration = NewDeclaration();
        declaration.Retention = new RetentionSettings { Daily = 0, Weekly = 0, Monthly = 0 };

        var first = await Backups.RunAsync(declaration, BackupTrigger.Manual, null, Ct);
        var second = await Backups.RunAsync(declaration, BackupTrigger.Manual, null, Ct);

        Assert.True(first.Succeeded, first.Error);
        Assert.True(second.Succeeded, second.Error);
        Assert.Equal([second.Manifest!.Id], (await Backups.ListAsync(declaration, Ct)).Select(m => m.Id));
        Assert.Equal(2, (await Store(declaration).ListAsync("it/db/", Ct)).Count);
    }

    [Fact]
    public async Task RunAsync_PgDumpKilledMidway_FailsAndLeavesOnlyTheEarlierBackup()
    {
        var declaration = NewDeclaration();
        var earlier = await Backups.RunAsync(declaration, BackupTrigger.Manual, null, Ct);
        Assert.True(earlier.Succeeded, earlier.Error);
        // The incompressible table comes first in the dump: 12 MB of it spans several S3 parts.
        using var killedHost = fixture.CreateHost(fixture.KillingPgDumpFolder(bytes: 12_000_000));

        var run = await killedHost.Services.GetRequiredService<BackupService>().RunAsync(declaration, BackupTrigger.Manual, null, Ct);

        Assert.False(run.Succeeded);
        Assert.Contains("pg_dump failed (exit code 137)", run.Error, StringComparison.Ordinal);
        var stored = await Store(declaration).ListAsync("it/db/", Ct);
        Assert.All(stored, o => Assert.Contains(earlier.Manifest!.Id, o.Key, StringComparison.Ordinal));
        Assert.Equal(2, stored.Count);
    }

    [Fact]
    public async Task RunAsync_StoreUnreachable_FailsNamingTheCause()
    {
        var (declaration, error) = UnreachableDeclaration();

        var run = await Backups.RunAsync(declaration, BackupTrigger.Manual, null, Ct);

        Assert.False(run.Succeeded);
        Assert.Contains(error, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreAsync_BackupNotInTheStore_RefusesAndCreatesNoDatabase()
    {
        var declaration = NewDeclaration();
        var target = "restored_" + Guid.NewGuid().ToString("N")[..12];

        var restore = await Restorer.RestoreAsync(declaration, "20260101T000000Z-abcdef12", target, BackupTrigger.Manual, Ct);

        Assert.False(restore.Succeeded);
        Assert.Contains("not in the store", restore.Error, StringComparison.Ordinal);
        Assert.False(await fixture.DatabaseExistsAsync(target));
    }

    private IBackupStore Store(BackupDeclaration declaration) =>
        fixture.Services.GetRequiredService<BackupStores>().For(declaration);

    private async Task AssertRestoresEqualAsync(BackupDeclaration declaration, string backupId)
    {
        var target = "restored_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            var restore = await Restorer.RestoreAsync(declaration, backupId, target, BackupTrigger.Manual, Ct);

            Assert.True(restore.Succeeded, restore.Error);
            var expected = await fixture.FingerprintAsync(fixture.SourceDatabase);
            Assert.StartsWith("100000:", expected["pgbench_accounts"], StringComparison.Ordinal);
            Assert.Equal(expected, await fixture.FingerprintAsync(target));
        }
        finally
        {
            await fixture.DropDatabaseAsync(target);
        }
    }
}
