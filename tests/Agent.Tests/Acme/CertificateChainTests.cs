using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Acme;

namespace Fleet.Agent.Tests.Acme;

public sealed class CertificateChainTests
{
    [Fact]
    public void Parse_LeafAndIssuer_KeepsOrderAndFindsIssuer()
    {
        var (leaf, intermediate) = TestCertificates.LeafAndIssuer("Test Root X1");

        var chain = CertificateChain.Parse("text before\n" + leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");

        Assert.Equal(leaf.Thumbprint, chain.Leaf.Thumbprint);
        Assert.Equal(2, chain.Certificates.Count);
        Assert.True(chain.IsIssuedBy("Test Root X1"));
        Assert.False(chain.IsIssuedBy("Other Root"));
        Assert.DoesNotContain("text before", chain.Pem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PrivateKeyBlockInChain_IsRefused()
    {
        var (leaf, _) = TestCertificates.LeafAndIssuer("Root");
        using var key = ECDsa.Create();

        var error = Assert.Throws<AcmeProtocolException>(() => CertificateChain.Parse(leaf.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("\"PRIVATE KEY\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoPem_IsRefused()
    {
        Assert.Throws<AcmeProtocolException>(() => CertificateChain.Parse("<html>oops</html>"));
    }

    [Fact]
    public void Parse_CertificateLabelWithGarbage_IsRefused()
    {
        Assert.Throws<AcmeProtocolException>(() => CertificateChain.Parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
    }

    [Fact]
    public void RenewalCertId_Rfc9773Example_MatchesTheSpec()
    {
        // RFC 9773 §4.1: AKI keyIdentifier 69:88:5B:…:D4 and serial 00:87:65:43:21.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ari.test", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(
            Convert.FromHexString("69885B6B87464041E1B37B847BA0AE2CDE01C8D4")));
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var certificate = request.Create(new X500DistinguishedName("CN=issuer"), X509SignatureGenerator.CreateForECDsa(issuerKey),
            now, now.AddDays(1), Convert.FromHexString("0087654321"));

        Assert.Equal("aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE", RenewalCertId.For(certificate));
    }
}

internal static class TestCertificates
{
    /// <summary>A leaf signed by an intermediate whose issuer is <paramref name="rootName"/>.</summary>
    public static (X509Certificate2 Leaf, X509Certificate2 Intermediate) LeafAndIssuer(string rootName)
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Test Intermediate", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var intermediate = intermediateRequest.Create(new X500DistinguishedName("CN=" + rootName),
            X509SignatureGenerator.CreateForECDsa(rootKey), now, now.AddYears(1), [1]);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=leaf.test", leafKey, HashAlgorithmName.SHA256);
        var leaf = leafRequest.Create(new X500DistinguishedName("CN=Test Intermediate"),
            X509SignatureGenerator.CreateForECDsa(intermediateKey), now, now.AddDays(90), [2]);
        return (leaf, intermediate);
    }
}
