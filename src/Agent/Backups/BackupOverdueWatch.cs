using Microsoft.Extensions.Options;
using Quartz;

namespace Fleet.Agent.Backups;

/// <summary>
/// A missing backup is an alarm: every 15 minutes, each declaration whose newest good backup (or,
/// with none, the time this agent first saw the declaration) is older than twice the longest gap of
/// its schedule plus its jitter gets one failed report with trigger <c>overdue</c>. It reaches
/// <c>fleetctl status</c> and the notifications as a failed backup would, once per stale backup,
/// and clears when the next backup succeeds.
/// </summary>
internal sealed partial class BackupOverdueWatch(
    BackupDeclarations declarations, BackupService backups, IBackupReportOutbox outbox,
    IOptions<BackupsOptions> options, TimeProvider time, ILogger<BackupOverdueWatch> logger) : BackgroundService
{
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(15);

    private readonly Dictionary<BackupKeyPath, DateTimeOffset> _firstSeen = [];
    private readonly HashSet<(BackupKeyPath, string)> _reported = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await CheckOnceAsync(stoppingToken);
            await Task.Delay(CheckInterval, time, stoppingToken);
        }
    }

    /// <summary>Checks every declaration once; returns the reports it appended.</summary>
    internal async Task<IReadOnlyList<BackupReport>> CheckOnceAsync(CancellationToken cancellationToken)
    {
        var appended = new List<BackupReport>();
        foreach (var d in declarations.Current)
        {
            var now = time.GetUtcNow();
            var since = _firstSeen.TryAdd(d.KeyPath, now) ? now : _firstSeen[d.KeyPath];
            IReadOnlyList<BackupManifest> good;
            try
            {
                good = await backups.ListAsync(d, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The scheduled run against the same store reports its own failure.
                Log.ListFailed(logger, d.KeyPath.ToString(), ex);
                continue;
            }

            var newest = good.MaxBy(m => m.FinishedAt);
            var allowed = AllowedAge(d.Schedule, d.Jitter, now);
            var age = now - (newest?.FinishedAt ?? since);
            if (age <= allowed || !_reported.Add((d.KeyPath, newest?.Id ?? "")))
            {
                continue;
            }

            var error = newest is null
                ? $"no good backup for {Humanize(age)}; the schedule '{d.Schedule}' allows {Humanize(allowed)}"
                : $"the newest good backup {newest.Id} is {Humanize(age)} old; the schedule '{d.Schedule}' allows {Humanize(allowed)}";
            Log.Overdue(logger, d.KeyPath.ToString(), error);
            appended.Add(await outbox.AppendAsync(new BackupReport(0, BackupOperation.Backup, BackupTrigger.Overdue, d.App, d.Name,
                options.Value.AgentName, false, newest?.Id, error, now, now, null, null, null), cancellationToken));
        }
        return appended;
    }

    /// <summary>Twice the longest gap between the schedule's next eight runs, plus the jitter; unlimited for a schedule that does not repeat.</summary>
    internal static TimeSpan AllowedAge(string schedule, TimeSpan jitter, DateTimeOffset now)
    {
        var cron = new CronExpression(schedule, TimeZoneInfo.Utc);
        var longest = TimeSpan.Zero;
        var previous = cron.GetNextValidTimeAfter(now);
        for (var i = 0; i < 8 && previous is { } from; i++)
        {
            var next = cron.GetNextValidTimeAfter(from);
            if (next is { } to && to - from > longest)
            {
                longest = to - from;
            }
            previous = next;
        }
        // A schedule that fires once or never more (a fixed year) has no interval to be late against.
        return longest == TimeSpan.Zero ? TimeSpan.MaxValue : (2 * longest) + jitter;
    }

    private static string Humanize(TimeSpan span) =>
        span.TotalHours >= 72 ? $"{span.TotalDays:0.#} days" : span.TotalHours >= 2 ? $"{span.TotalHours:0.#} hours" : $"{span.TotalMinutes:0} minutes";

    private static partial class Log
    {
        [LoggerMessage(4150, LogLevel.Warning, "Backup {Backup} is overdue: {Reason}")]
        public static partial void Overdue(ILogger logger, string backup, string reason);

        [LoggerMessage(4151, LogLevel.Warning, "Could not list the backups of {Backup} to check they are recent")]
        public static partial void ListFailed(ILogger logger, string backup, Exception exception);
    }
}
