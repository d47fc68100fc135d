using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Core.Transport;

namespace Fleet.Core.Tests.Transport;

public sealed class CaPinTests
{
    [Fact]
    public void Compute_SameKeyReissued_SamePin()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var first = SelfSigned(key, "CN=first");
        using var second = SelfSigned(key, "CN=second");

        Assert.Equal(CaPin.Compute(first), CaPin.Compute(second));
        Assert.StartsWith("sha256:", CaPin.Compute(first), StringComparison.Ordinal);
        Assert.Equal(71, CaPin.Compute(first).Length);
    }

    [Fact]
    public void Compute_DifferentKeys_DifferentPins()
    {
        using var a = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var b = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = SelfSigned(a, "CN=x");
        using var cb = SelfSigned(b, "CN=x");

        Assert.NotEqual(CaPin.Compute(ca), CaPin.Compute(cb));
    }

    [Theory]
    [InlineData("")]
    [InlineData("md5:abcd")]
    [InlineData("sha256:xyz")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    public void TryParse_Malformed_RefusedWithReason(string text)
    {
        Assert.False(CaPin.TryParse(text, out _, out var error));
        Assert.Contains("sha256:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_UpperCaseHex_Normalised()
    {
        var hex = new string('A', 64);

        Assert.True(CaPin.TryParse($" SHA256:{hex} ", out var pin, out _));
        Assert.Equal("sha256:" + new string('a', 64), pin);
    }

    private static X509Certificate2 SelfSigned(ECDsa key, string subject) =>
        new CertificateRequest(subject, key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
}
