using Fleet.Agent.Backups;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Integration.Tests.Backups;

/// <summary>The overdue alarm against a real store: silent while backups are recent, one report once they are not.</summary>
[Collection(BackupTestGroup.Name)]
public sealed class BackupOverdueWatchTests(BackupFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckOnceAsync_NewestGoodBackupOlderThanTheScheduleAllows_ReportsOnceNamingIt()
    {
        var declaration = fixture.Declaration("file://" + fixture.Folder.Combine("overdue-" + Guid.NewGuid().ToString("N")));
        declaration.Schedule = "0 0 3 * * ?";
        var run = await fixture.Services.GetRequiredService<BackupService>().RunAsync(declaration, BackupTrigger.Manual, null, Ct);
        Assert.True(run.Succeeded, run.Error);
        var clock = new FakeTimeProvider(run.Manifest!.FinishedAt);
        var watch = Watch(declaration, clock);

        clock.Advance(TimeSpan.FromHours(47));
        var recent = await watch.CheckOnceAsync(Ct);
        clock.Advance(TimeSpan.FromHours(2));
        var overdue = await watch.CheckOnceAsync(Ct);
        var again = await watch.CheckOnceAsync(Ct);

        Assert.Empty(recent);
        var report = Assert.Single(overdue);
        Assert.Equal((false, BackupTrigger.Overdue, run.Manifest.Id), (report.Succeeded, report.Trigger, report.BackupId));
        Assert.Contains($"the newest good backup {run.Manifest.Id} is 49 hours old; the schedule '0 0 3 * * ?' allows 48 hours", report.Error, StringComparison.Ordinal);
        Assert.True(report.Sequence > 0, "the report went through the event outbox");
        Assert.Empty(again);
    }

    [Fact]
    public async Task CheckOnceAsync_NoBackupEverSince_ReportsAfterTwoIntervals()
    {
        var declaration = fixture.Declaration("file://" + fixture.Folder.Combine("never-" + Guid.NewGuid().ToString("N")));
        declaration.Schedule = "0 0 * * * ?";
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T12:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var watch = Watch(declaration, clock);

        var first = await watch.CheckOnceAsync(Ct);
        clock.Advance(TimeSpan.FromHours(3));
        var later = await watch.CheckOnceAsync(Ct);

        Assert.Empty(first);
        Assert.Contains("no good backup for 3 hours; the schedule '0 0 * * * ?' allows 2 hours", Assert.Single(later).Error, StringComparison.Ordinal);
    }

    private BackupOverdueWatch Watch(BackupDeclaration declaration, TimeProvider clock) => new(
        new BackupDeclarations([new FixedDeclarations(declaration)]),
        fixture.Services.GetRequiredService<BackupService>(),
        fixture.Services.GetRequiredService<IBackupReportOutbox>(),
        fixture.Services.GetRequiredService<IOptions<BackupsOptions>>(),
        clock,
        NullLogger<BackupOverdueWatch>.Instance);

    private sealed class FixedDeclarations(BackupDeclaration declaration) : IBackupDeclarationSource
    {
        public IReadOnlyList<BackupDeclaration> Current { get; } = [declaration];

        public event EventHandler? Changed
        {
            add { }
            remove { }
        }
    }
}
