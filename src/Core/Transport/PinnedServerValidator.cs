using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Core.Transport;

/// <summary>
/// Accepts a controller's TLS certificate only when it chains to a CA whose public key matches
/// one of the pins, and its name matches the address dialled. Two pins are accepted at once
/// while the controller's CA rotates. The machine's own trust store plays no part.
/// </summary>
/// <remarks>
/// .NET servers on Linux never send a self-signed root in the TLS handshake, so the pinned CA is
/// looked for among the certificates the server presents (a CA sent as an intermediate) and
/// among <paramref name="knownCas"/>, the CA bundle a client saved when it enrolled.
/// </remarks>
public sealed class PinnedServerValidator(IReadOnlyCollection<string> pins, IEnumerable<X509Certificate2>? knownCas = null)
{
    private readonly HashSet<string> _pins = new(pins, StringComparer.OrdinalIgnoreCase);
    private readonly X509Certificate2[] _knownCas = knownCas?.ToArray() ?? [];

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
        var candidates = new List<X509Certificate2>(_knownCas);
        if (presented is not null)
        {
            candidates.AddRange(presented.ChainElements.Select(e => e.Certificate).Skip(1));
            candidates.AddRange(presented.ChainPolicy.ExtraStore.Where(c => c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span) is false));
        }

        var pinned = candidates.Where(c => IsCertificateAuthority(c) && _pins.Contains(CaPin.Compute(c))).ToList();
        if (pinned.Count > 0)
        {
            // The pinned CA may itself be an intermediate under a root nobody sends, so an
            // unknown root is tolerated; the chain must still link the leaf to a pinned CA by
            // signature, and every certificate in it must be in date.
            using var chain = new X509Chain();
            chain.ChainPolicy.ExtraStore.AddRange(pinned.ToArray());
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            if (chain.Build(leaf))
            {
                var match = chain.ChainElements.Skip(1).Select(e => CaPin.Compute(e.Certificate)).FirstOrDefault(_pins.Contains);
                if (match is not null)
                {
                    LastMatchedPin = match;
                    LastFailure = null;
                    return true;
                }
            }
            else
            {
                var status = string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
                return Fail($"the controller's certificate does not validate against the pinned CA: {status}");
            }
        }

        if (candidates.Count == 0)
        {
            return Fail($"the controller sent no CA certificate with its own, so the pin cannot be checked (pinned: {string.Join(", ", _pins)}); the controller must send its CA in its TLS chain");
        }

        var seen = string.Join(", ", candidates.Select(CaPin.Compute).Distinct());
        return Fail($"the controller's CA does not match the pinned fingerprint (pinned: {string.Join(", ", _pins)}; presented: {seen})");
    }

    private static bool IsCertificateAuthority(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    private bool Fail(string reason)
    {
        LastFailure = reason;
        return false;
    }
}
