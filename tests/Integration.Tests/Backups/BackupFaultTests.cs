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

    [Theory]
    [InlineData("exit 0", "pg_dump produced no output")]
    [InlineData("echo 'not an archive'", "not a custom-format archive")]
    public async Task RunAsync_PgDumpExitsZeroWithoutAnArchive_FailsAndStoresNothing(string script, string error)
    {
        var store = NewFileStore();
        using var host = fixture.CreateHost(fixture.PgDumpStandIn(script));

        var run = await host.Services.GetRequiredService<BackupService>().RunAsync(fixture.Declaration(store), BackupTrigger.Manual, null, Ct);

        Assert.False(run.Succeeded);
        Assert.Contains(error, run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(new Uri(store).LocalPath, "it", "db")));
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
}
