using Fleet.Controller.Agents;

namespace Fleet.Controller.Certificates;

internal static class CertificatesRegistration
{
    /// <summary>The certificate inventory agents report (migration 0004) and the operator CertificatesService.</summary>
    public static IServiceCollection AddCertificates(this IServiceCollection services)
    {
        services.AddSingleton<CertificateStore>();
        services.AddSingleton<IAgentReportRecorder, CertificateReportRecorder>();
        return services;
    }

    public static void MapCertificates(this IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<CertificatesGrpcService>();
}
