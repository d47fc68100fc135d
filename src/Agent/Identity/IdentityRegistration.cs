namespace Fleet.Agent.Identity;

internal static class IdentityRegistration
{
    /// <summary>The loaded identity, the swappable client certificate and its renewal.</summary>
    public static IServiceCollection AddAgentIdentity(this IServiceCollection services, IdentityStore store, AgentIdentity identity)
    {
        services.AddSingleton(store);
        services.AddSingleton(new AgentCredentials(identity));
        services.AddSingleton<ICertificateRenewalClient, GrpcCertificateRenewalClient>();
        services.AddHostedService<CertificateRenewer>();
        return services;
    }
}
