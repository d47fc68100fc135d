namespace Fleet.Controller.Audit;

internal static class AuditRegistration
{
    /// <summary>Reading the audit log (fleetctl events); the log itself (<see cref="AuditLog"/>) is registered with trust.</summary>
    public static IServiceCollection AddAuditReading(this IServiceCollection services) => services.AddSingleton<AuditReader>();

    public static void MapAudit(this IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<AuditGrpcService>();
}
