using Fleet.Agent.Registries;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Fleet.Agent.Traffic;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Deploy;

internal static class DeployRegistration
{
    /// <summary>
    /// Registers the swap engine and its parts, bound to the "Deploy" section. Set Deploy:JournalPath
    /// (e.g. STATE_DIR/deploy/journal.json). Run <see cref="Reconciler.ReconcileAsync"/> once at start
    /// before the first <see cref="SwapEngine.ApplyAsync"/>.
    /// </summary>
    public static IServiceCollection AddDeploy(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<DeployOptions, DeployOptionsValidator>()
            .BindConfiguration(DeployOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddRegistries();
        services.AddSingleton<IContainerRuntime>(sp => new DockerContainerRuntime(sp.GetRequiredService<RegistryPullAuthorizer>()));
        services.AddSingleton(sp => new DeployJournal(sp.GetRequiredService<IOptions<DeployOptions>>().Value.JournalPath));
        services.AddSingleton(sp => new DiskSpaceGuard(sp.GetRequiredService<IOptions<DeployOptions>>()));
        services.AddSingleton<SlotAllocator>();
        services.AddSingleton<SlotContainers>();
        services.AddSingleton<HealthProbe>();
        services.AddSingleton<ServiceHealthCheck>();
        services.AddSingleton<DeployGate>();
        services.AddTraffic();
        services.AddSingleton<SwapEngine>();
        services.AddSingleton<Reconciler>();
        services.AddSingleton<LivenessMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<LivenessMonitor>());
        return services;
    }
}
