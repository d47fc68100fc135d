using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Fleet.Agent.Acme;

internal static class AcmeRegistration
{
    /// <summary>
    /// ACME certificates: options ("Certificates" section, validated at startup), the client
    /// factory, HTTP-01 responder, DNS-01 solver, installer, reload actions, inventory, and the
    /// Quartz renewal job (first pass one minute after start, then every CheckInterval ± CheckJitter).
    /// </summary>
    public static IServiceCollection AddAcme(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CertificatesOptions>().Bind(configuration.GetSection(CertificatesOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CertificatesOptions>, CertificatesOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<CertificateInventory>();
        services.AddSingleton<AcmeClientFactory>();
        services.AddSingleton<ChallengeSolverFactory>();
        services.AddSingleton<CertificateInstaller>();
        services.AddSingleton<CertificateReloader>();
        services.AddSingleton<CertificateRenewal>();
        services.AddSingleton<ICertificateDeclarationSource, ConfiguredCertificates>();
        services.TryAddSingleton<IContainerSignaller, DockerContainerSignaller>();
        services.AddSingleton(sp => new Http01Responder(
            IPEndPoint.Parse(sp.GetRequiredService<IOptions<CertificatesOptions>>().Value.Http01Listen),
            sp.GetRequiredService<ILogger<Http01Responder>>()));

        services.AddQuartz(q => q.ScheduleJob<CertificateRenewalJob>(
            (sp, trigger) => trigger.WithIdentity(CertificateRenewalJob.TriggerKey)
                .StartAt(sp.GetRequiredService<TimeProvider>().GetUtcNow() + TimeSpan.FromMinutes(1)),
            (_, job) => job.WithIdentity(CertificateRenewalJob.Key)));
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
