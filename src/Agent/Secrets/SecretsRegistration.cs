using Fleet.Agent.Releases;

namespace Fleet.Agent.Secrets;

internal static class SecretsRegistration
{
    /// <summary>The encryption key STATE/secrets.key (created if missing) and the release secrets written under Secrets:Root.</summary>
    public static IServiceCollection AddAgentSecrets(this IServiceCollection services, string stateDir)
    {
        services.AddOptionsWithValidateOnStart<SecretsOptions, SecretsOptionsValidator>().BindConfiguration(SecretsOptions.Section);
        services.AddSingleton(_ => AgentEncryptionKey.LoadOrCreate(stateDir));
        services.AddSingleton<ISealedSecretsClient, GrpcSealedSecretsClient>();
        services.AddSingleton<IReleaseSecrets, ReleaseSecrets>();
        return services;
    }
}
