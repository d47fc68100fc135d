using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Fleet.Agent.Backups;

internal static class BackupsRegistration
{
    /// <summary>Backups: options (validated at start), pipeline, stores, restore, report outbox, Quartz schedules.</summary>
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupsOptions>().Bind(configuration.GetSection(BackupsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackupsOptions>, BackupsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PostgresTools>();
        services.AddSingleton<BackupPipeline>();
        services.AddSingleton<BackupStores>();
        services.AddSingleton<BackupRetention>();
        services.AddSingleton<IBackupReportOutbox, FileBackupReportOutbox>();
        services.AddSingleton<BackupService>();
        services.AddSingleton<BackupRestorer>();
        services.AddTransient<BackupJob>();
        services.AddTransient<BackupVerifyJob>();
        services.AddQuartz();
        services.AddQuartzHostedService(q => q.WaitForJobsToComplete = true);
        services.AddHostedService<BackupScheduler>();
        return services;
    }
}
