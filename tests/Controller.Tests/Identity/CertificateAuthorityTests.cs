using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Controller.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Identity;

public sealed class CertificateAuthorityTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void IssueAgentCertificate_ValidCsr_NamesAgentFromControllerNotCsr()
    {
        using var ca = CertificateAuthority.Create(_time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var agentId = Guid.NewGuid();

        using var certificate = ca.IssueAgentCertificate(Csr(key, "CN=admin"), agentId, "web-1", TimeSpan.FromHours(24));

        Assert.Equal("CN=web-1", certificate.Subject);
        Assert.Equal(agentId, AgentCertificateValidator.ReadAgentId(certificate));
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");
        Assert.Equal(_time.GetUtcNow().AddHours(24).UtcDateTime, certificate.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void IssueAgentCertificate_TamperedCsr_Throws()
    {
        using var ca = CertificateAuthority.Create(_time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = Csr(key, "CN=x");
        csr[^5] ^= 0xFF;

        Assert.ThrowsAny<CryptographicException>(() => ca.IssueAgentCertificate(csr, Guid.NewGuid(), "web-1", TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Validate_CertificateFromThisCa_ReturnsAgentId()
    {
        using var ca = CertificateAuthority.Create(_time);
        var agentId = Guid.NewGuid();
        using var certificate = IssueWithKey(ca, agentId);

        var check = new AgentCertificateValidator(ca, _time).Validate(certificate);

        Assert.True(check.IsValid, check.Failure);
        Assert.Equal(agentId, check.AgentId);
    }

    [Fact]
    public void Validate_CertificateFromAnotherCa_RefusedWithReason()
    {
        using var ours = CertificateAuthority.Create(_time);
        using var theirs = CertificateAuthority.Create(_time);
        using var certificate = IssueWithKey(theirs, Guid.NewGuid());

        var check = new AgentCertificateValidator(ours, _time).Validate(certificate);

        Assert.False(check.IsValid);
        Assert.Contains("not issued by this controller's CA", check.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ExpiredCertificate_RefusedWithReason()
    {
        using var ca = CertificateAuthority.Create(_time);
        using var certificate = IssueWithKey(ca, Guid.NewGuid(), TimeSpan.FromSeconds(20));
        _time.Advance(TimeSpan.FromSeconds(21));

        var check = new AgentCertificateValidator(ca, _time).Validate(certificate);

        Assert.False(check.IsValid);
        Assert.Contains("expired", check.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoCertificate_RefusedWithReason()
    {
        using var ca = CertificateAuthority.Create(_time);

        var check = new AgentCertificateValidator(ca, _time).Validate(null);

        Assert.False(check.IsValid);
        Assert.Contains("no client certificate", check.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ServerCertificateOfThisCa_RefusedForLackOfAgentName()
    {
        using var ca = CertificateAuthority.Create(_time);
        using var server = ca.IssueServerCertificate(["localhost"], TimeSpan.FromDays(1));

        var check = new AgentCertificateValidator(ca, _time).Validate(server);

        Assert.False(check.IsValid);
    }

    [Fact]
    public void LoadOrCreate_TwiceInSameFolder_SameCaAndPrivateKeyFile()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            using var first = CertificateAuthority.LoadOrCreate(folder, _time);
            using var second = CertificateAuthority.LoadOrCreate(folder, _time);

            Assert.Equal(first.Pin, second.Pin);
            Assert.True(second.Certificate.HasPrivateKey);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "ca.key")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static X509Certificate2 IssueWithKey(CertificateAuthority ca, Guid agentId, TimeSpan? lifetime = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = ca.IssueAgentCertificate(Csr(key, "CN=x"), agentId, "web-1", lifetime ?? TimeSpan.FromHours(1));
        return issued.CopyWithPrivateKey(key);
    }

    private static byte[] Csr(ECDsa key, string subject) =>
        new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSigningRequest();
}
