using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Identity;

/// <summary>
/// The client certificate new TLS connections present. A renewal swaps it; connections already
/// open keep the certificate they were made with.
/// </summary>
internal sealed class AgentCredentials(AgentIdentity identity)
{
    private volatile Held _held = new(identity.Certificate, identity.ObtainedAt);

    public AgentConfig Config { get; } = identity.Config;

    public X509Certificate2Collection CaBundle { get; } = identity.CaBundle;

    public X509Certificate2 Current => _held.Certificate;

    /// <summary>When <see cref="Current"/> was received from the controller.</summary>
    public DateTimeOffset ObtainedAt => _held.ObtainedAt;

    // The previous certificate is not disposed: a connection being set up may still hold it.
    public void Swap(X509Certificate2 renewed, DateTimeOffset obtainedAt) => _held = new Held(renewed, obtainedAt);

    private sealed record Held(X509Certificate2 Certificate, DateTimeOffset ObtainedAt);
}
