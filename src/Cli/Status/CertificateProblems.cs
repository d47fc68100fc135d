using Fleet.Cli.Certificates;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Status;

/// <summary>The certificate part of <c>fleetctl status</c>: expiring within 14 days, or whose last renewal failed.</summary>
internal static class CertificateProblems
{
    public static IReadOnlyList<ProblemJson> Find(IEnumerable<AgentCertificate> certificates, DateTimeOffset now) =>
        [.. certificates
            .Select(c => (Certificate: c, Message: CertificateFormatter.Problem(c, now)))
            .Where(p => p.Message is not null)
            .Select(p => new ProblemJson("certificate", p.Certificate.Agent, p.Certificate.Certificate.Name, p.Message!))];
}
