using Quartz;

namespace Fleet.Agent.Backups;

/// <summary>Quartz job: one scheduled backup of the declaration named in its data map.</summary>
[DisallowConcurrentExecution]
internal sealed class BackupJob(BackupService backups) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await backups.RunScheduledAsync(context.MergedJobDataMap.GetString(BackupScheduler.AppKey)!, context.MergedJobDataMap.GetString(BackupScheduler.NameKey)!, cancellationToken);
}

/// <summary>Quartz job: the scheduled restore test of the declaration named in its data map.</summary>
[DisallowConcurrentExecution]
internal sealed class BackupVerifyJob(BackupRestorer restorer) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await restorer.VerifyLatestAsync(context.MergedJobDataMap.GetString(BackupScheduler.AppKey)!, context.MergedJobDataMap.GetString(BackupScheduler.NameKey)!, BackupTrigger.Schedule, cancellationToken);
}
