using Fleet.Agent.Connection;
using Fleet.Agent.Events;
using Fleet.Agent.Releases;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Fleet.Agent.Backups;

internal static class BackupsRegistration
{
    /// <summary>
    /// The agent's backups: defaults the section's StateDirectory to STATE/backups and AgentName to
    /// the enrolled name, then <see cref="AddBackups(IServiceCollection, IConfiguration)"/>.
    /// </summary>
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration, string stateDir, string agentName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration[$"{BackupsOptions.Section}:{nameof(BackupsOptions.StateDirectory)}"] ??= Path.Combine(stateDir, "backups");
        configuration[$"{BackupsOptions.Section}:{nameof(BackupsOptions.AgentName)}"] ??= agentName;
        return services.AddBackups(configuration);
    }

    /// <summary>
    /// Backups: options (validated at start), declaration sources (agent-local and applied releases),
    /// pipeline, stores, restore, reports through the event outbox, the apply path's pre-deploy
    /// backups, operator commands, Quartz schedules.
    /// </summary>
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupsOptions>().Bind(configuration.GetSection(BackupsOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BackupsOptions>, BackupsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PostgresTools>();
        services.AddSingleton<BackupPipeline>();
        services.AddSingleton<BackupStores>();
        services.AddSingleton<BackupRetention>();
        services.TryAddSingleton(sp => new EventOutbox(sp.GetRequiredService<IOptions<BackupsOptions>>().Value.StateDirectory));
        services.AddSingleton<IBackupReportOutbox, EventBackupReportOutbox>();
        services.AddSingleton<IBackupDeclarationSource, ConfiguredBackupDeclarations>();
        services.AddSingleton<ReleaseBackupDeclarations>();
        services.AddSingleton<IBackupDeclarationSource>(sp => sp.GetRequiredService<ReleaseBackupDeclarations>());
        services.AddSingleton<BackupDeclarations>();
        services.AddSingleton<ReleaseBackups>();
        services.AddSingleton<IReleaseBackups>(sp => sp.GetRequiredService<ReleaseBackups>());
        services.AddSingleton<IReleaseAppliedListener>(sp => sp.GetRequiredService<ReleaseBackups>());
        services.AddSingleton<BackupService>();
        services.AddSingleton<BackupRestorer>();
        services.AddSingleton<IAgentCommandHandler, RunBackupCommandHandler>();
        services.AddSingleton<IAgentCommandHandler, RestoreBackupCommandHandler>();
        services.AddSingleton<IAgentCommandHandler, VerifyBackupCommandHandler>();
        services.AddTransient<BackupJob>();
        services.AddTransient<BackupVerifyJob>();
        services.AddQuartz();
        services.AddQuartzHostedService(q => q.WaitForJobsToComplete = true);
        services.AddHostedService<BackupScheduler>();
        services.AddSingleton<BackupOverdueWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<BackupOverdueWatch>());
        return services;
    }
}
