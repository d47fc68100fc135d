using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Identity;

/// <summary>
/// The client certificate new TLS connections present. A renewal swaps it; connections already
/// open keep the certificate they were made with.
/// </summary>
internal sealed class AgentCredentials(AgentIdentity identity)
{
    private volatile X509Certificate2 _current = identity.Certificate;

    public AgentConfig Config { get; } = identity.Config;

    public X509Certificate2Collection CaBundle { get; } = identity.CaBundle;

    public X509Certificate2 Current => _current;

    // The previous certificate is not disposed: a connection being set up may still hold it.
    public void Swap(X509Certificate2 renewed) => _current = renewed;
}
