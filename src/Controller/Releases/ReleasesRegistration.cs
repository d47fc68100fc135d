using Fleet.Controller.Rollouts;

namespace Fleet.Controller.Releases;

internal static class ReleasesRegistration
{
    /// <summary>Releases, rollouts and their driver. Needs <c>AddTrust()</c> and <c>AddAgents()</c>.</summary>
    public static IServiceCollection AddReleases(this IServiceCollection services)
    {
        services.AddSingleton<RolloutChanges>();
        services.AddSingleton<CollectionHold>();
        services.AddSingleton<AssignmentSender>();
        services.AddSingleton<RolloutStore>();
        services.AddSingleton<ReleaseStore>();
        services.AddSingleton<ProgressEventWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<ProgressEventWriter>());
        services.AddSingleton<RolloutEvents>();
        services.AddSingleton<RolloutControl>();
        services.AddHostedService<RolloutDriver>();
        services.AddHostedService<RolloutChangeFeed>();
        services.AddHostedService<SubmitPathWarmup>();
        return services;
    }

    public static void MapReleases(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ReleasesGrpcService>();
        endpoints.MapGrpcService<RolloutsGrpcService>();
    }
}
