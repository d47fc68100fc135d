using System.Net;
using Fleet.Agent.Connection;
using Fleet.Agent.Releases;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Fleet.Agent.Acme;

internal static class AcmeRegistration
{
    /// <summary>
    /// ACME certificates: options ("Certificates" section, validated at startup), the client
    /// factory, HTTP-01 responder, DNS-01 solver, installer, reload actions, inventory, and the
    /// Quartz renewal job (first pass FirstCheckDelay after start, then every CheckInterval ± CheckJitter),
    /// reports to the controller, declarations from applied releases, and the RenewCertificate command.
    /// </summary>
    /// <remarks>
    /// Needs the agent's <see cref="Events.EventOutbox"/> (registered by AddReleases) for its reports.
    /// Certificates:StateDirectory defaults to <paramref name="stateDir"/>/certificates when given.
    /// </remarks>
    public static IServiceCollection AddAcme(this IServiceCollection services, IConfiguration configuration, string? stateDir = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var stateKey = $"{CertificatesOptions.Section}:{nameof(CertificatesOptions.StateDirectory)}";
        if (stateDir is not null && string.IsNullOrEmpty(configuration[stateKey]))
        {
            configuration[stateKey] = Path.Combine(stateDir, "certificates");
        }

        services.AddOptions<CertificatesOptions>().Bind(configuration.GetSection(CertificatesOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CertificatesOptions>, CertificatesOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<CertificateInventory>();
        services.AddSingleton<AcmeClientFactory>();
        services.AddSingleton<ChallengeSolverFactory>();
        services.AddSingleton<CertificateInstaller>();
        services.AddSingleton<CertificateReloader>();
        services.AddSingleton<CertificateRenewal>();
        services.AddSingleton<CertificateReports>();
        // Order matters: the agent-local declarations win over a release's of the same name.
        services.AddSingleton<ICertificateDeclarationSource, ConfiguredCertificates>();
        services.AddSingleton<ReleaseCertificates>();
        services.AddSingleton<ICertificateDeclarationSource>(sp => sp.GetRequiredService<ReleaseCertificates>());
        services.AddSingleton<IReleaseAppliedListener>(sp => sp.GetRequiredService<ReleaseCertificates>());
        services.AddSingleton<IAgentCommandHandler, RenewCertificateHandler>();
        services.TryAddSingleton<IContainerSignaller, DockerContainerSignaller>();
        services.AddSingleton(sp => new Http01Responder(
            IPEndPoint.Parse(sp.GetRequiredService<IOptions<CertificatesOptions>>().Value.Http01Listen),
            sp.GetRequiredService<ILogger<Http01Responder>>()));

        services.AddQuartz(q => q.ScheduleJob<CertificateRenewalJob>(
            (sp, trigger) => trigger.WithIdentity(CertificateRenewalJob.TriggerKey)
                .StartAt(sp.GetRequiredService<TimeProvider>().GetUtcNow() + sp.GetRequiredService<IOptions<CertificatesOptions>>().Value.FirstCheckDelay),
            (_, job) => job.WithIdentity(CertificateRenewalJob.Key)));
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
