using Fleet.Controller.Audit;

namespace Fleet.Controller.Trust;

internal static class TrustRegistration
{
    public static IServiceCollection AddTrust(this IServiceCollection services)
    {
        services.AddSingleton<AuditLog>();
        services.AddSingleton<TrustStore>();
        return services;
    }

    public static void MapTrust(this IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<TrustGrpcService>();
}
