using Fleet.Controller.Agents;

namespace Fleet.Controller.Backups;

internal static class BackupsRegistration
{
    /// <summary>Backup reports from agents (backup_runs) and the operators' BackupsService.</summary>
    public static IServiceCollection AddBackups(this IServiceCollection services)
    {
        services.AddSingleton<BackupRunStore>();
        services.AddSingleton<IAgentReportRecorder, BackupReportRecorder>();
        return services;
    }

    public static void MapBackups(this IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<BackupsGrpcService>();
}
