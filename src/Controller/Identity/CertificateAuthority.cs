using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Core.Transport;

namespace Fleet.Controller.Identity;

/// <summary>
/// The controller's own CA (ECDSA P-256, 10 years). It signs the server certificate and the
/// short-lived client certificates of agents; agents pin its public key.
/// </summary>
internal sealed class CertificateAuthority : IDisposable
{
    public const string AgentUriPrefix = "urn:fleet:agent:";
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;

    private CertificateAuthority(X509Certificate2 certificate, TimeProvider time)
    {
        Certificate = certificate;
        _time = time;
        Pin = CaPin.Compute(certificate);
    }

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public string Pin { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public static CertificateAuthority Create(TimeProvider time)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Fleet Controller CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        var certificate = request.CreateSelfSigned(now - Backdate, now + Lifetime);
        return new CertificateAuthority(certificate, time);
    }

    /// <summary>Loads ca.crt/ca.key from <paramref name="folder"/>, creating them on first start.</summary>
    public static CertificateAuthority LoadOrCreate(string folder, TimeProvider time)
    {
        var certPath = Path.Combine(folder, "ca.crt");
        var keyPath = Path.Combine(folder, "ca.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return new CertificateAuthority(X509Certificate2.CreateFromPemFile(certPath, keyPath), time);
        }

        var created = Create(time);
        using (var key = created.Certificate.GetECDsaPrivateKey()!)
        {
            SecretFile.WriteSecret(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        SecretFile.WritePublic(certPath, created.CertificatePem);
        return created;
    }

    /// <summary>
    /// The CA's public key and name, certified by a throwaway issuer, for the TLS handshake.
    /// .NET on Linux drops a self-signed root from the chain it sends, yet agents must see the CA
    /// to check its key against their pin. This copy is not self-signed, so it is sent; the pin
    /// covers only the public key, which it shares with the real CA certificate.
    /// </summary>
    public X509Certificate2 CreateChainCertificate()
    {
        using var throwaway = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuer = new CertificateRequest("CN=Fleet Controller CA handshake issuer", throwaway, HashAlgorithmName.SHA256);
        issuer.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        issuer.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var issuerCertificate = issuer.CreateSelfSigned(Certificate.NotBefore, Certificate.NotAfter);
        var copy = new CertificateRequest(Certificate.SubjectName, Certificate.PublicKey, HashAlgorithmName.SHA256);
        foreach (var extension in Certificate.Extensions)
        {
            copy.CertificateExtensions.Add(extension);
        }

        return copy.Create(issuerCertificate, Certificate.NotBefore, Certificate.NotAfter, NewSerial());
    }

    /// <summary>Issues a TLS server certificate for the given DNS names and IP addresses.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> names, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fleet-controller", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (System.Net.IPAddress.TryParse(name, out var address))
            {
                san.AddIpAddress(address);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oids.ServerAuth], false));
        AddLeafExtensions(request);
        using var signed = Sign(request, lifetime);
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Issues an agent client certificate for the key in a PKCS#10 request. The request's subject
    /// is ignored: the identity comes from the controller, never from the agent.
    /// </summary>
    /// <exception cref="CryptographicException">The CSR is malformed or its self-signature is wrong.</exception>
    public X509Certificate2 IssueAgentCertificate(byte[] csrDer, Guid agentId, string agentName, TimeSpan lifetime)
    {
        var csr = CertificateRequest.LoadSigningRequest(
            csrDer, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(agentName);
        var request = new CertificateRequest(subject.Build(), csr.PublicKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(AgentUriPrefix + agentId.ToString("D")));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([Oids.ClientAuth], false));
        AddLeafExtensions(request);
        return Sign(request, lifetime);
    }

    public void Dispose() => Certificate.Dispose();

    private static void AddLeafExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
    }

    private X509Certificate2 Sign(CertificateRequest request, TimeSpan lifetime)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = _time.GetUtcNow();
        var notAfter = now + lifetime;
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        return request.Create(Certificate, now - Backdate, notAfter, NewSerial());
    }

    private static byte[] NewSerial()
    {
        // 16 random bytes with the top bit clear: a positive, unpredictable serial (RFC 5280 §4.1.2.2).
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }
}
