using Microsoft.Extensions.Options;
using Quartz;

namespace Fleet.Agent.Backups;

/// <summary>Schedules a backup job (and a verify job where declared) per agent-local declaration.</summary>
internal sealed partial class BackupScheduler(ISchedulerFactory schedulerFactory, IOptions<BackupsOptions> options, ILogger<BackupScheduler> logger) : IHostedService
{
    public const string AppKey = "app";
    public const string NameKey = "name";
    private const string Group = "fleet-backups";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        foreach (var d in options.Value.Declarations)
        {
            await ScheduleAsync<BackupJob>(scheduler, d, "backup", d.Schedule, cancellationToken);
            if (d.VerifySchedule is { } verify)
            {
                await ScheduleAsync<BackupVerifyJob>(scheduler, d, "verify", verify, cancellationToken);
            }
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(4160, LogLevel.Information, "Scheduled {Kind} of {Backup} at '{Cron}' (UTC)")]
        public static partial void Scheduled(ILogger logger, string kind, string backup, string cron);
    }
}
