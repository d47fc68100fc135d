namespace Fleet.Controller.Secrets;

internal static class SecretsRegistration
{
    /// <summary>Sealed secrets (ciphertexts only) and the agents' encryption keys.</summary>
    public static IServiceCollection AddSecrets(this IServiceCollection services)
    {
        services.AddSingleton<SecretStore>();
        services.AddSingleton<AgentEncryptionKeys>();
        return services;
    }

    public static void MapSecrets(this IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<SecretsGrpcService>();
}
