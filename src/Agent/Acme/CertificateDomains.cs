using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Acme;

internal static class CertificateDomains
{
    /// <summary>True when the certificate's DNS names are exactly the declared domains (any order, any case).</summary>
    public static bool MatchesDomains(this X509Certificate2 certificate, IEnumerable<string> domains)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return names.SetEquals(domains);
    }
}
