using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Core.Transport;

namespace Fleet.Agent.Tests.Support;

/// <summary>An in-memory controller CA that issues certificates from agents' CSRs.</summary>
internal sealed class TestCa : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCa(DateTimeOffset now)
    {
        var request = new CertificateRequest("CN=Test Fleet CA", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }

    public X509Certificate2 Certificate { get; }

    public string Pin => CaPin.Compute(Certificate);

    public string BundlePem => Certificate.ExportCertificatePem();

    public string Issue(byte[] csrDer, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        using var issued = request.Create(Certificate, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
        return issued.ExportCertificatePem();
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
