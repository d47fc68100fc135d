using Microsoft.Extensions.Options;

namespace Fleet.Agent.Acme;

/// <summary>
/// Where certificate declarations come from. The agent-local "Certificates:Items" section is one
/// source; the release feature registers another for fleet.yaml's certificates.
/// </summary>
internal interface ICertificateDeclarationSource
{
    IReadOnlyList<CertificateDeclaration> Current { get; }
}

internal sealed class ConfiguredCertificates(IOptionsMonitor<CertificatesOptions> options) : ICertificateDeclarationSource
{
    public IReadOnlyList<CertificateDeclaration> Current => options.CurrentValue.Items;
}
