
namespace Fleet.Agent.Health;

internal static class HealthRegistration
{
    /// <summary>Status snapshots of this host; Docker is reached at DOCKER_HOST or the local socket.</summary>
    public static IServiceCollection AddHostStatus(this IServiceCollection services, IConfiguration configuration, string stateDir)
    {
        var dockerHost = configuration["DOCKER_HOST"];
        var endpoint = new Uri(string.IsNullOrWhiteSpace(dockerHost) ? DockerProbe.DefaultEndpoint : dockerHost);
        services.AddSingleton<IDockerProbe>(sp => new DockerProbe(endpoint, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IStatusSource>(sp => new StatusCollector(
            stateDir,
            sp.GetRequiredService<IDockerProbe>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StatusCollector>>()));
        return services;
    }
}
