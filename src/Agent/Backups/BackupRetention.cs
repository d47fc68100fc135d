using System.Globalization;

namespace Fleet.Agent.Backups;

/// <summary>
/// Grandfather-father-son pruning, pure over a store listing. A backup is good when its manifest
/// and its data object (of the manifest's size) both exist. Of the good ones it keeps the newest
/// overall, and the newest of each of the N most recent UTC days, ISO weeks and months that hold
/// a backup (periods without backups do not use up a slot, so a broken schedule never prunes
/// old backups away). Everything else of the declaration goes, and so do data objects without a
/// good manifest (failed runs) once older than the grace period. Running it again on its own
/// result deletes nothing.
/// </summary>
internal sealed class BackupRetention(TimeProvider time)
{
    public IReadOnlyList<string> PlanDeletions(
        BackupKeyPath path, IReadOnlyList<StoredObject> objects, IReadOnlyList<BackupManifest> manifests, RetentionSettings settings, TimeSpan orphanGrace)
    {
        var sizes = objects.ToDictionary(o => o.Key, o => o.Size, StringComparer.Ordinal);
        var good = manifests.Where(m => sizes.TryGetValue(m.DataKey(path), out var size) && size == m.SizeBytes).ToList();
        var kept = SelectKept(good, settings);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in good.Where(m => kept.Contains(m.Id)))
        {
            keep.Add(m.DataKey(path));
            keep.Add(BackupManifest.ManifestKey(path, m.Id));
        }
        var pruned = good.Where(m => !kept.Contains(m.Id)).SelectMany(m => new[] { m.DataKey(path), BackupManifest.ManifestKey(path, m.Id) });
        var cutoff = time.GetUtcNow() - orphanGrace;
        var goodKeys = new HashSet<string>(good.SelectMany(m => new[] { m.DataKey(path), BackupManifest.ManifestKey(path, m.Id) }), StringComparer.Ordinal);
        var orphans = objects.Where(o => !goodKeys.Contains(o.Key) && o.LastModified < cutoff).Select(o => o.Key);
        return [.. pruned.Concat(orphans).Where(k => !keep.Contains(k)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Ids of the backups that retention keeps.</summary>
    public static IReadOnlySet<string> SelectKept(IReadOnlyList<BackupManifest> good, RetentionSettings settings)
    {
        var newestFirst = good.OrderByDescending(m => m.StartedAt).ThenByDescending(m => m.Id, StringComparer.Ordinal).ToList();
        var kept = new HashSet<string>(StringComparer.Ordinal);
        if (newestFirst.Count == 0)
        {
            return kept;
        }
        kept.Add(newestFirst[0].Id);
        KeepNewestPerPeriod(newestFirst, settings.Daily, m => m.StartedAt.UtcDateTime.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), kept);
        KeepNewestPerPeriod(newestFirst, settings.Weekly, m => $"{ISOWeek.GetYear(m.StartedAt.UtcDateTime)}-W{ISOWeek.GetWeekOfYear(m.StartedAt.UtcDateTime)}", kept);
        KeepNewestPerPeriod(newestFirst, settings.Monthly, m => m.StartedAt.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture), kept);
        return kept;
    }

    private static void KeepNewestPerPeriod(List<BackupManifest> newestFirst, int periods, Func<BackupManifest, string> period, HashSet<string> kept)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in newestFirst)
        {
            if (seen.Count == periods)
            {
                return;
            }
            if (seen.Add(period(m)))
            {
                kept.Add(m.Id);
            }
        }
    }
}
