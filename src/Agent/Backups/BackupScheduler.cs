using Quartz;

namespace Fleet.Agent.Backups;

/// <summary>
/// Schedules a backup job (and a verify job where declared) per declaration, and schedules again
/// whenever a source's declarations change (a release with other backups was applied).
/// </summary>
internal sealed partial class BackupScheduler(ISchedulerFactory schedulerFactory, BackupDeclarations declarations, ILogger<BackupScheduler> logger) : IHostedService, IDisposable
{
    public const string AppKey = "app";
    public const string NameKey = "name";
    private const string Group = "fleet-backups";

    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var source in declarations.Sources)
        {
            source.Changed += OnChanged;
        }

        await SyncAsync(cancellationToken);
    }

    /// <summary>Makes the scheduled jobs match the current declarations.</summary>
    internal async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
            await scheduler.DeleteJobs([.. await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), cancellationToken)], cancellationToken);
            foreach (var d in declarations.Current)
            {
                try
                {
                    await ScheduleAsync<BackupJob>(scheduler, d, "backup", d.Schedule, cancellationToken);
                    if (d.VerifySchedule is { } verify)
                    {
                        await ScheduleAsync<BackupVerifyJob>(scheduler, d, "verify", verify, cancellationToken);
                    }
                }
                catch (FormatException ex)
                {
                    // A release's cron that Quartz refuses: the other declarations still run.
                    Log.ScheduleRefused(logger, d.KeyPath.ToString(), ex.Message);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async void OnChanged(object? sender, EventArgs e)
    {
        try
        {
            await SyncAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // async void: nothing may escape, or the agent process ends.
            Log.SyncFailed(logger, ex);
        }
    }

    private async Task ScheduleAsync<TJob>(IScheduler scheduler, BackupDeclaration d, string kind, string cron, CancellationToken cancellationToken)
        where TJob : IJob
    {
        var job = JobBuilder.Create<TJob>()
            .WithIdentity($"{kind}:{d.KeyPath}", Group)
            .UsingJobData(AppKey, d.App)
            .UsingJobData(NameKey, d.Name)
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"{kind}:{d.KeyPath}", Group)
            .WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = true }, cancellationToken);
        Log.Scheduled(logger, kind, d.KeyPath.ToString(), cron);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var source in declarations.Sources)
        {
            source.Changed -= OnChanged;
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _gate.Dispose();

    private static partial class Log
    {
        [LoggerMessage(4160, LogLevel.Information, "Scheduled {Kind} of {Backup} at '{Cron}' (UTC)")]
        public static partial void Scheduled(ILogger logger, string kind, string backup, string cron);

        [LoggerMessage(4161, LogLevel.Error, "Cannot schedule {Backup}: {Reason}")]
        public static partial void ScheduleRefused(ILogger logger, string backup, string reason);

        [LoggerMessage(4162, LogLevel.Error, "Rescheduling backups after a declaration change failed")]
        public static partial void SyncFailed(ILogger logger, Exception exception);
    }
}
