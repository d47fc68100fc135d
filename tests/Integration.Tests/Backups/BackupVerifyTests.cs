using Fleet.Agent.Backups;
using Fleet.Controller.Persistence;
using Fleet.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fleet.Integration.Tests.Backups;

/// <summary>Restore tests that check more than the table count, on the backed-up server or on another one.</summary>
[Collection(BackupTestGroup.Name)]
public sealed class BackupVerifyTests(BackupFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BackupRestorer Restorer => fixture.Services.GetRequiredService<BackupRestorer>();

    [Theory]
    [InlineData("SELECT aid FROM pgbench_accounts WHERE aid = 42", true)]
    [InlineData("SELECT aid FROM pgbench_accounts WHERE aid < 0", false)]
    public async Task VerifyAsync_VerifyQuery_PassesOnlyWhenARowComesBack(string query, bool passes)
    {
        var (declaration, id) = await BackUpAsync();
        declaration.VerifyQuery = query;

        var verify = await Restorer.VerifyAsync(declaration, id, BackupTrigger.Schedule, Ct);

        Assert.True(verify.Succeeded == passes, verify.Error);
        if (!passes)
        {
            Assert.Contains("the verify query returned no row", verify.Error, StringComparison.Ordinal);
        }
        Assert.Equal(0L, await fixture.ScalarAsync("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'fleet_verify_%'"));
    }

    [Fact]
    public async Task VerifyAsync_VerifyOnAnotherServer_RestoresThereNotOnTheBackedUpServer()
    {
        var (declaration, id) = await BackUpAsync();
        using var folder = new TempDirectory("verify-on");
        await using var other = new EmbeddedPostgres(folder.Path);
        await other.StartAsync(NullLogger.Instance, Ct);
        var server = new NpgsqlConnectionStringBuilder(other.ConnectionString);
        declaration.VerifyQuery = "SELECT current_setting('port')";
        declaration.VerifyOn = new VerifyServerSettings
        {
            Host = server.Host!, Port = server.Port, User = server.Username!, PasswordFile = folder.Combine("postgres.password"),
        };

        var verify = await Restorer.VerifyAsync(declaration, id, BackupTrigger.Schedule, Ct);
        declaration.VerifyOn.Port = BackupFixture.ClosedPort();
        var unreachable = await Restorer.VerifyAsync(declaration, id, BackupTrigger.Schedule, Ct);

        Assert.True(verify.Succeeded, verify.Error);
        Assert.False(unreachable.Succeeded);
        Assert.Contains("Connection refused", unreachable.Error, StringComparison.Ordinal);
    }

    private async Task<(BackupDeclaration, string)> BackUpAsync()
    {
        var declaration = fixture.Declaration("file://" + fixture.Folder.Combine("verify-" + Guid.NewGuid().ToString("N")));
        var run = await fixture.Services.GetRequiredService<BackupService>().RunAsync(declaration, BackupTrigger.Manual, null, Ct);
        Assert.True(run.Succeeded, run.Error);
        return (declaration, run.Manifest!.Id);
    }
}
