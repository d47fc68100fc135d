using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Acme;

internal enum CertificateKeyType
{
    EcdsaP256,
    Rsa2048,
}

/// <summary>Certificate private keys and the CSR (PKCS #10) sent at finalize.</summary>
internal static class CertificateKeys
{
    public static AsymmetricAlgorithm Create(CertificateKeyType type) => type switch
    {
        CertificateKeyType.Rsa2048 => RSA.Create(2048),
        _ => ECDsa.Create(ECCurve.NamedCurves.nistP256),
    };

    /// <summary>DER CSR: CN = first domain, every domain in subjectAltName.</summary>
    public static byte[] CreateCsr(AsymmetricAlgorithm key, IReadOnlyList<string> domains)
    {
        var subject = new X500DistinguishedName("CN=" + domains[0]);
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("Only ECDSA and RSA certificate keys are supported.", nameof(key)),
        };
        var san = new SubjectAlternativeNameBuilder();
        foreach (var domain in domains)
        {
            san.AddDnsName(domain);
        }

        request.CertificateExtensions.Add(san.Build());
        return request.CreateSigningRequest();
    }

    public static string ExportPem(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKeyPem() + "\n";
}
