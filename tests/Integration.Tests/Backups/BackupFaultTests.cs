using Fleet.Agent.Backups;
using Fleet.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Integration.Tests.Backups;

[Collection(BackupTestGroup.Name)]
public sealed class BackupFaultTests(BackupFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BackupService Backups => fixture.Services.GetRequiredService<BackupService>();

    [Fact]
    public async Task RunAsync_PasswordFromFile_Succeeds()
    {
        await fixture.RequirePasswordRoleAsync();
        var declaration = PasswordDeclaration(BackupFixture.RightPassword);

        var run = await Backups.RunAsync(declaration, BackupTrigger.Manual, null, Ct);

        Assert.True(run.Succeeded, run.Error);
    }

    [Fact]
    public async Task RunAsync_WrongPassword_FailsWithAuthenticationErrorAndStoresNothing()
    {
        await fixture.RequirePasswordRoleAsync();
        var declaration = PasswordDeclaration("not-the-password");

        var run = await Backups.RunAsync(declaration, BackupTrigger.Schedule, null, Ct);

        Assert.False(run.Succeeded);
        Assert.Contains("password authentication failed", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", run.Error, StringComparison.Ordinal);
        Assert.True(run.Report is { Succeeded: false, Error: not null });
        Assert.Empty(await Backups.ListAsync(declaration, Ct));
    }

    [Fact]
    public async Task RunAsync_UnreachableDatabase_FailsAndStoresNothing()
    {
        var declaration = fixture.Declaration(NewFileStore());
        declaration.Port = BackupFixture.ClosedPort();

        var run = await Backups.RunAsync(declaration, BackupTrigger.Manual, null, Ct);

        Assert.False(run.Succeeded);
        Assert.Contains("Connection refused", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(new Uri(declaration.Store.Url).LocalPath));
    }

    [Fact]
    public async Task RunAsync_PgDumpKilledMidway_FailsLeavesNoPartialAndKeepsEarlierBackup()
    {
        var store = NewFileStore();
        var declaration = fixture.Declaration(store);
        var earlier = await Backups.RunAsync(declaration, BackupTrigger.Manual, null, Ct);
        Assert.True(earlier.Succeeded, earlier.Error);
        using var killedHost = fixture.CreateHost(KillingPgDumpFolder(bytes: 300_000));

        var run = await killedHost.Services.GetRequiredService<BackupService>().RunAsync(declaration, BackupTrigger.Manual, null, Ct);

        Assert.False(run.Succeeded);
        Assert.Contains("pg_dump failed (exit code 137)", run.Error, StringComparison.Ordinal);
        var folder = Path.Combine(new Uri(store).LocalPath, "it", "db");
        Assert.Equal(
            [earlier.Manifest!.Id + BackupManifest.DataSuffix, earlier.Manifest.Id + BackupManifest.ManifestSuffix],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("exit 0", "pg_dump produced no output")]
    [InlineData("echo 'not an archive'", "not a custom-format archive")]
    public async Task RunAsync_PgDumpExitsZeroWithoutAnArchive_FailsAndStoresNothing(string script, string error)
    {
        var store = NewFileStore();
        using var host = fixture.CreateHost(PgDumpStandIn(script));

        var run = await host.Services.GetRequiredService<BackupService>().RunAsync(fixture.Declaration(store), BackupTrigger.Manual, null, Ct);

        Assert.False(run.Succeeded);
        Assert.Contains(error, run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(new Uri(store).LocalPath, "it", "db")));
    }

    [Fact]
    public async Task RunAsync_PgDumpKilledDuringMultipartUpload_FailsAndNoObjectAppears()
    {
        var declaration = fixture.Declaration("s3://" + TestEnvironment.Require("FLEET_TEST_S3_BUCKET", "S3 server (s3rver)") + "/killed-" + Guid.NewGuid().ToString("N"));
        declaration.Store.Endpoint = TestEnvironment.Require("FLEET_TEST_S3_ENDPOINT", "S3 server (s3rver)");
        declaration.Store.PartSizeMiB = 5;
        BackupFixture.UseS3rverCredentials();
        // The incompressible table comes first in the dump: 12 MB of it is more than one 5 MiB part stored.
        using var killedHost = fixture.CreateHost(KillingPgDumpFolder(bytes: 12_000_000));
        var backups = killedHost.Services.GetRequiredService<BackupService>();

        var run = await backups.RunAsync(declaration, BackupTrigger.Manual, null, Ct);

        Assert.False(run.Succeeded);
        Assert.Contains("pg_dump failed (exit code 137)", run.Error, StringComparison.Ordinal);
        Assert.Empty(await fixture.Services.GetRequiredService<BackupStores>().For(declaration).ListAsync("", Ct));
    }

    [Fact]
    public async Task RunAsync_S3StoreUnreachable_Fails()
    {
        var declaration = fixture.Declaration("s3://fleet-test/unreachable");
        declaration.Store.Endpoint = $"http://127.0.0.1:{BackupFixture.ClosedPort()}";
        BackupFixture.UseS3rverCredentials();

        var run = await Backups.RunAsync(declaration, BackupTrigger.Manual, null, Ct);

        Assert.False(run.Succeeded);
        Assert.Contains("Connection refused", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DiskFullOnFileStore_FailsCleanlyAndEarlierBackupStillVerifies()
    {
        var mount = fixture.Folder.Combine("tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mount);
        await BackupFixture.RunAsync("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount);
        await using var tiny = await PostgresDatabase.CreateAsync("backup_tiny", Ct);
        try
        {
            await fixture.ExecuteAsync(tiny.Name, "CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 1000) g");
            var small = fixture.Declaration("file://" + mount, name: "tiny", database: tiny.Name);
            var big = fixture.Declaration("file://" + mount, name: "big");
            var earlier = await Backups.RunAsync(small, BackupTrigger.Manual, null, Ct);
            Assert.True(earlier.Succeeded, earlier.Error);

            var run = await Backups.RunAsync(big, BackupTrigger.Manual, null, Ct);

            Assert.False(run.Succeeded);
            Assert.Contains("No space left on device", run.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(Path.Combine(mount, "it", "big")));
            var verify = await fixture.Services.GetRequiredService<BackupRestorer>().VerifyAsync(small, earlier.Manifest!.Id, BackupTrigger.Manual, Ct);
            Assert.True(verify.Succeeded, verify.Error);
        }
        finally
        {
            await BackupFixture.RunAsync("umount", "-l", mount);
        }
    }

    private string NewFileStore() => "file://" + fixture.Folder.Combine("store-" + Guid.NewGuid().ToString("N"));

    private BackupDeclaration PasswordDeclaration(string password)
    {
        var file = fixture.Folder.Combine("password-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, password + "\n");
        var declaration = fixture.Declaration(NewFileStore());
        declaration.User = BackupFixture.PasswordRole;
        declaration.PasswordFile = file;
        return declaration;
    }

    /// <summary>A tool folder whose pg_dump streams the first bytes of a real dump and is then killed with SIGKILL.</summary>
    private string KillingPgDumpFolder(int bytes) =>
        PgDumpStandIn($"\"{BackupFixture.PgBin}/pg_dump\" \"$@\" | head -c {bytes}\nkill -KILL $$");

    /// <summary>A tool folder with the real psql and a shell script standing in for pg_dump.</summary>
    private string PgDumpStandIn(string script)
    {
        var folder = fixture.Folder.Combine("pg-bin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var pgDump = Path.Combine(folder, "pg_dump");
        File.WriteAllText(pgDump, $"#!/bin/sh\n{script}\n");
        File.SetUnixFileMode(pgDump, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(folder, "psql"), Path.Combine(BackupFixture.PgBin, "psql"));
        return folder;
    }
}
