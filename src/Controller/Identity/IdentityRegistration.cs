namespace Fleet.Controller.Identity;

internal static class IdentityRegistration
{
    public static IServiceCollection AddIdentity(this IServiceCollection services, ServerIdentity identity)
    {
        services.AddSingleton(identity);
        services.AddSingleton(identity.Authority);
        services.AddSingleton<AgentCertificateValidator>();
        services.AddSingleton<AgentCertificateIssuer>();
        return services;
    }
}
