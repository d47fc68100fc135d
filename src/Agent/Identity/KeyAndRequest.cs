using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Core.Transport;

namespace Fleet.Agent.Identity;

/// <summary>
/// A fresh ECDSA P-256 key with its PKCS#10 request, and the checks on the certificate the
/// controller issues for it. Used by enrollment and by every renewal.
/// </summary>
internal sealed class KeyAndRequest : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public KeyAndRequest(string agentName)
    {
        var request = new CertificateRequest($"CN={agentName}", _key, HashAlgorithmName.SHA256);
        CsrDer = request.CreateSigningRequest();
    }

    public byte[] CsrDer { get; }

    public string KeyPem => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>
    /// Checks that the issued certificate is for this key and chains to a CA in the bundle whose
    /// pin is one of <paramref name="pins"/>; returns it with the private key attached.
    /// </summary>
    public X509Certificate2 AcceptIssued(string certificatePem, string caBundlePem, IReadOnlyCollection<string> pins)
    {
        X509Certificate2 issued;
        var bundle = new X509Certificate2Collection();
        try
        {
            issued = X509Certificate2.CreateFromPem(certificatePem);
            bundle.ImportFromPem(caBundlePem);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException($"the controller sent a certificate that cannot be read: {ex.Message}", ex);
        }

        using (issued)
        {
            using var issuedKey = issued.GetECDsaPublicKey();
            if (issuedKey is null || !issuedKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(_key.ExportSubjectPublicKeyInfo()))
            {
                throw new InvalidDataException("the controller sent a certificate for a different key");
            }

            var pinnedCas = bundle.Where(ca => pins.Contains(CaPin.Compute(ca), StringComparer.OrdinalIgnoreCase)).ToArray();
            if (pinnedCas.Length == 0)
            {
                throw new InvalidDataException($"the controller sent a CA bundle that matches none of the pins ({string.Join(", ", pins)})");
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.ExtraStore.AddRange(pinnedCas);
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            if (!chain.Build(issued) || !chain.ChainElements.Skip(1).Any(e => pinnedCas.Any(ca => ca.RawDataMemory.Span.SequenceEqual(e.Certificate.RawDataMemory.Span))))
            {
                throw new InvalidDataException("the certificate the controller sent is not issued by the pinned CA");
            }

            return issued.CopyWithPrivateKey(_key);
        }
    }

    public void Dispose() => _key.Dispose();
}
