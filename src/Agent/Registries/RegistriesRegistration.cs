using Fleet.Core.Registries;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fleet.Agent.Registries;

internal static class RegistriesRegistration
{
    /// <summary>Registry credentials from the "Registries" section (validated at start) and the pull authorizer that uses them.</summary>
    public static IServiceCollection AddRegistries(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<RegistriesOptions, RegistriesOptionsValidator>()
            .BindConfiguration(RegistriesOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRegistryCredentials, AgentRegistryCredentials>();
        services.TryAddSingleton<RegistryPullAuthorizer>();
        return services;
    }
}
