using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Core.Transport;

/// <summary>
/// Accepts a controller's TLS certificate only when it chains to a CA whose public key matches
/// one of the pins, and its name matches the address dialled. Two pins are accepted at once
/// while the controller's CA rotates. The machine's own trust store plays no part.
/// </summary>
public sealed class PinnedServerValidator(IReadOnlyCollection<string> pins)
{
    private readonly HashSet<string> _pins = new(pins, StringComparer.OrdinalIgnoreCase);

    /// <summary>The pin that matched on the last successful validation, for messages.</summary>
    public string? LastMatchedPin { get; private set; }

    /// <summary>Why the last validation failed, for an operator-facing message.</summary>
    public string? LastFailure { get; private set; }

    public bool Validate(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return Fail("the controller presented no certificate");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return Fail("the controller's certificate does not name the address dialled");
        }

        using var leaf = new X509Certificate2(certificate);
        var candidates = new List<X509Certificate2>();
        if (presented is not null)
        {
            candidates.AddRange(presented.ChainElements.Select(e => e.Certificate));
            candidates.AddRange(presented.ChainPolicy.ExtraStore);
        }

        foreach (var ca in candidates.Where(c => _pins.Contains(CaPin.Compute(c))))
        {
            // The pinned key, not a trust store, is the anchor. The presented CA certificate may be
            // a copy of the CA that is not self-signed (servers on Linux drop a self-signed root
            // from the chain they send), so the chain is built to it without requiring a root:
            // the leaf's signature is still checked against the pinned key.
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.ExtraStore.Add(ca);
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain.Build(leaf) && chain.ChainElements.Skip(1).Any(e => _pins.Contains(CaPin.Compute(e.Certificate))))
            {
                LastMatchedPin = CaPin.Compute(ca);
                LastFailure = null;
                return true;
            }
        }

        var seen = candidates.Count == 0 ? "none" : string.Join(", ", candidates.Select(CaPin.Compute).Distinct());
        return Fail($"the controller's CA does not match the pinned fingerprint (pinned: {string.Join(", ", _pins)}; presented: {seen})");
    }

    private bool Fail(string reason)
    {
        LastFailure = reason;
        return false;
    }
}
