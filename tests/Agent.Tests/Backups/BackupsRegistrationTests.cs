using Fleet.Agent.Backups;
using Fleet.Agent.Releases;
using Fleet.Core.Releases;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace Fleet.Agent.Tests.Backups;

public sealed class BackupsRegistrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-backups-reg-").FullName;

    [Fact]
    public async Task AddBackups_InvalidDeclarations_FailsStartListingEveryError()
    {
        using var host = Build(new()
        {
            ["Backups:Declarations:0:Name"] = "Bad Name",
            ["Backups:Declarations:0:Database"] = "shop",
            ["Backups:Declarations:0:EncryptionKeyFile"] = "/nonexistent/key",
            ["Backups:Declarations:1:Name"] = "db",
            ["Backups:Declarations:1:Schedule"] = "not cron",
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(ex.Failures, f => f.StartsWith("Backups:Declarations:0:Name", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Backups:Declarations:0:EncryptionKeyFile", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Backups:Declarations:1:Database", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Backups:Declarations:1:Schedule", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddBackups_DeclarationWithVerify_SchedulesBackupAndVerifyJobs()
    {
        var key = Path.Combine(_folder, "key");
        BackupKey.Generate(key);
        using var host = Build(new()
        {
            ["Backups:Declarations:0:App"] = "shop",
            ["Backups:Declarations:0:Name"] = "db",
            ["Backups:Declarations:0:Database"] = "shop",
            ["Backups:Declarations:0:EncryptionKeyFile"] = key,
            ["Backups:Declarations:0:Schedule"] = "0 0 3 * * ?",
            ["Backups:Declarations:0:VerifySchedule"] = "0 0 5 ? * SUN",
        });
        var ct = TestContext.Current.CancellationToken;

        await host.StartAsync(ct);
        try
        {
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            var jobs = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals("fleet-backups"), ct);

            Assert.Equal(["backup:shop/db", "verify:shop/db"], jobs.Select(j => j.Name).Order(StringComparer.Ordinal));
        }
        finally
        {
            await host.StopAsync(ct);
        }
    }

    [Fact]
    public async Task AddBackups_ReleaseDeclaresBackups_ScheduledFindableAndKeptAcrossRestart()
    {
        var ct = TestContext.Current.CancellationToken;
        using (var host = Build([]))
        {
            await host.StartAsync(ct);
            await host.Services.GetServices<IReleaseAppliedListener>().OfType<ReleaseBackups>().Single().AppliedReleaseChangedAsync("shop", Released("shop", new BackupSpec
            {
                Name = "db", Database = "shop", Store = new BackupStoreSpec { Url = "file:///var/backups" }, EncryptionKeyFile = "/etc/key", VerifySchedule = "0 0 5 ? * SUN",
            }), ct);
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            while ((await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals("fleet-backups"), ct)).Count < 2)
            {
                await Task.Yield();
            }

            Assert.Equal("shop", host.Services.GetRequiredService<BackupService>().Find("shop", "db").App);
            await host.StopAsync(ct);
        }

        using var restarted = Build([]);
        var found = restarted.Services.GetRequiredService<BackupService>().Find("shop", "db");
        Assert.Equal(("shop", "/etc/key", "0 0 5 ? * SUN"), (found.Database, found.EncryptionKeyFile, found.VerifySchedule));
        var missing = Assert.Throws<BackupException>(() => restarted.Services.GetRequiredService<BackupService>().Find("shop", "other"));
        Assert.Contains("declared: shop/db", missing.Message, StringComparison.Ordinal);
    }

    private IHost Build(Dictionary<string, string?> settings)
    {
        settings["Backups:StateDirectory"] = _folder;
        settings["Backups:AgentName"] = "web-1";
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBackups(builder.Configuration);
        return builder.Build();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ReleaseManifest Released(string app, BackupSpec backup) => new()
    {
        Environment = "staging",
        Sequence = 3,
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddDays(1),
        Release = new ReleaseDefinition { App = app, Services = [], Backups = [backup] },
    };
}
