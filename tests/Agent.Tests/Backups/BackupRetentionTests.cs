using Fleet.Agent.Backups;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests.Backups;

public sealed class BackupRetentionTests
{
    private static readonly BackupKeyPath Path = new("shop", "db");
    private static readonly RetentionSettings Gfs = new() { Daily = 7, Weekly = 4, Monthly = 12 };
    private static readonly TimeSpan Grace = TimeSpan.FromHours(6);

    [Fact]
    public void PlanDeletions_YearOfDailyBackups_KeepsExactlyTheGfsSet()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 2, 0, 0, TimeSpan.Zero));
        var store = new SimulatedStore();
        var retention = new BackupRetention(clock);
        for (var day = 0; day < 365; day++)
        {
            store.AddBackup(clock.GetUtcNow());
            if (day % 30 == 15)
            {
                store.AddFailedUpload(clock.GetUtcNow().AddMinutes(1));
            }
            clock.Advance(TimeSpan.FromMinutes(30));
            store.Delete(retention.PlanDeletions(Path, store.Objects, store.Manifests, Gfs, Grace));
            clock.Advance(TimeSpan.FromHours(23.5));
        }

        string[] expected =
        [
            // daily: the last 7 days
            "2025-12-25", "2025-12-26", "2025-12-27", "2025-12-28", "2025-12-29", "2025-12-30", "2025-12-31",
            // weekly: ISO 2026-W01 (Dec 31), 2025-W52 (Dec 28) are already kept; W51 and W50
            "2025-12-21", "2025-12-14",
            // monthly: the last day of each month (December's is Dec 31)
            "2025-01-31", "2025-02-28", "2025-03-31", "2025-04-30", "2025-05-31", "2025-06-30",
            "2025-07-31", "2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), store.Manifests.Select(m => m.StartedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Length * 2, store.Objects.Count); // data + manifest each, no failed uploads left
    }

    [Fact]
    public void PlanDeletions_RunAgainOnItsResult_DeletesNothing()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 2, 0, 0, TimeSpan.Zero));
        var store = new SimulatedStore();
        for (var day = 0; day < 100; day++)
        {
            store.AddBackup(clock.GetUtcNow());
            clock.Advance(TimeSpan.FromDays(1));
        }
        var retention = new BackupRetention(clock);
        store.Delete(retention.PlanDeletions(Path, store.Objects, store.Manifests, Gfs, Grace));

        Assert.Empty(retention.PlanDeletions(Path, store.Objects, store.Manifests, Gfs, Grace));
    }

    [Fact]
    public void PlanDeletions_AllCountsZero_KeepsNewestGoodBackup()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 2, 0, 0, TimeSpan.Zero));
        var store = new SimulatedStore();
        store.AddBackup(clock.GetUtcNow());
        var newest = store.AddBackup(clock.GetUtcNow().AddHours(1));
        store.AddFailedUpload(clock.GetUtcNow().AddHours(2));
        clock.Advance(TimeSpan.FromDays(2));

        store.Delete(new BackupRetention(clock).PlanDeletions(Path, store.Objects, store.Manifests, new RetentionSettings { Daily = 0, Weekly = 0, Monthly = 0 }, Grace));

        Assert.Equal([newest], store.Manifests.Select(m => m.Id));
    }

    [Fact]
    public void PlanDeletions_NewestHasNoData_IsNotGoodAndOlderGoodOneStays()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 2, 0, 0, TimeSpan.Zero));
        var store = new SimulatedStore();
        var good = store.AddBackup(clock.GetUtcNow());
        var broken = store.AddBackup(clock.GetUtcNow().AddHours(1));
        store.Delete([Path.Prefix + broken + BackupManifest.DataSuffix]);
        clock.Advance(TimeSpan.FromDays(1));

        var deletions = new BackupRetention(clock).PlanDeletions(Path, store.Objects, store.Manifests, new RetentionSettings { Daily = 0, Weekly = 0, Monthly = 0 }, Grace);

        Assert.Equal([BackupManifest.ManifestKey(Path, broken)], deletions);
        Assert.DoesNotContain(deletions, k => k.Contains(good, StringComparison.Ordinal));
    }

    [Fact]
    public void PlanDeletions_FailedUploadYoungerThanGrace_IsLeftAlone()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 2, 0, 0, TimeSpan.Zero));
        var store = new SimulatedStore();
        store.AddBackup(clock.GetUtcNow());
        var failed = store.AddFailedUpload(clock.GetUtcNow());
        var retention = new BackupRetention(clock);
        clock.Advance(Grace - TimeSpan.FromMinutes(1));

        Assert.Empty(retention.PlanDeletions(Path, store.Objects, store.Manifests, Gfs, Grace));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([failed], retention.PlanDeletions(Path, store.Objects, store.Manifests, Gfs, Grace));
    }

    private sealed class SimulatedStore
    {
        public List<StoredObject> Objects { get; } = [];

        public List<BackupManifest> Manifests { get; } = [];

        public string AddBackup(DateTimeOffset at)
        {
            var id = BackupService.NewId(at);
            var manifest = new BackupManifest(id, Path.App, Path.Name, "shop", "web-1", at, at.AddMinutes(5), 1000, "00", "15.0", null, "k");
            Manifests.Add(manifest);
            Objects.Add(new StoredObject(manifest.DataKey(Path), 1000, at.AddMinutes(5)));
            Objects.Add(new StoredObject(BackupManifest.ManifestKey(Path, id), 300, at.AddMinutes(5)));
            return id;
        }

        public string AddFailedUpload(DateTimeOffset at)
        {
            var key = Path.Prefix + BackupService.NewId(at) + BackupManifest.DataSuffix;
            Objects.Add(new StoredObject(key, 77, at));
            return key;
        }

        public void Delete(IEnumerable<string> keys)
        {
            var gone = keys.ToHashSet(StringComparer.Ordinal);
            Objects.RemoveAll(o => gone.Contains(o.Key));
            Manifests.RemoveAll(m => gone.Contains(BackupManifest.ManifestKey(Path, m.Id)));
        }
    }
}
