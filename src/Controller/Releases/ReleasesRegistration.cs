using Fleet.Controller.Rollouts;

namespace Fleet.Controller.Releases;

internal static class ReleasesRegistration
{
    /// <summary>Releases, rollouts and their driver. Needs <c>AddTrust()</c> and <c>AddAgents()</c>.</summary>
    public static IServiceCollection AddReleases(this IServiceCollection services)
    {
        services.AddSingleton<RolloutChanges>();
        services.AddSingleton<RolloutTargets>();
        services.AddSingleton<RolloutStore>();
        services.AddSingleton<ReleaseStore>();
        return services;
    }

    public static void MapReleases(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<ReleasesGrpcService>();
    }
}
