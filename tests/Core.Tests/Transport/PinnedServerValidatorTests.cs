using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Core.Transport;

namespace Fleet.Core.Tests.Transport;

public sealed class PinnedServerValidatorTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void Validate_SelfSignedCaKnownLocally_AcceptsLeafSentAlone()
    {
        using var ca = Authority("CN=Fleet CA", issuer: null);
        using var leaf = Leaf(ca, Now.AddDays(-1), Now.AddDays(1));
        var validator = new PinnedServerValidator([CaPin.Compute(ca)], [ca]);

        var accepted = validator.Validate(leaf, Presented(leaf), SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.True(accepted, validator.LastFailure);
        Assert.Equal(CaPin.Compute(ca), validator.LastMatchedPin);
    }

    [Fact]
    public void Validate_PinnedCaSentAsIntermediate_AcceptsWithoutKnowingItsRoot()
    {
        using var root = Authority("CN=Throwaway root", issuer: null);
        using var ca = Authority("CN=Fleet CA", issuer: root);
        using var leaf = Leaf(ca, Now.AddDays(-1), Now.AddDays(1));
        var validator = new PinnedServerValidator([CaPin.Compute(ca)]);

        var accepted = validator.Validate(leaf, Presented(leaf, ca), SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.True(accepted, validator.LastFailure);
    }

    [Fact]
    public void Validate_CopyOfSelfSignedCaCertifiedByThrowawayIssuer_Accepted()
    {
        // What the controller sends: its CA's name and key, certified by a throwaway issuer,
        // because .NET on Linux never sends a self-signed certificate in the chain.
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = SelfSignedAuthority("CN=Fleet CA", caKey);
        using var throwaway = Authority("CN=handshake issuer", issuer: null);
        var copyRequest = new CertificateRequest(ca.SubjectName, ca.PublicKey, HashAlgorithmName.SHA256);
        foreach (var extension in ca.Extensions)
        {
            copyRequest.CertificateExtensions.Add(extension);
        }

        using var copy = copyRequest.Create(throwaway, Now.AddDays(-10), Now.AddYears(1), RandomNumberGenerator.GetBytes(8));
        using var leaf = Leaf(ca, Now.AddDays(-1), Now.AddDays(1));
        var validator = new PinnedServerValidator([CaPin.Compute(ca)]);

        var accepted = validator.Validate(leaf, Presented(leaf, copy), SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.True(accepted, validator.LastFailure);
        Assert.Equal(CaPin.Compute(ca), validator.LastMatchedPin);
    }

    [Fact]
    public void Validate_SelfSignedCaNeitherSentNorKnown_RefusesNamingThePin()
    {
        using var ca = Authority("CN=Fleet CA", issuer: null);
        using var leaf = Leaf(ca, Now.AddDays(-1), Now.AddDays(1));
        var validator = new PinnedServerValidator([CaPin.Compute(ca)]);

        var accepted = validator.Validate(leaf, Presented(leaf), SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.False(accepted);
        Assert.Contains("sent no CA certificate", validator.LastFailure, StringComparison.Ordinal);
        Assert.Contains(CaPin.Compute(ca), validator.LastFailure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OtherCa_Refused()
    {
        using var ca = Authority("CN=Fleet CA", issuer: null);
        using var impostor = Authority("CN=Fleet CA", issuer: null);
        using var leaf = Leaf(impostor, Now.AddDays(-1), Now.AddDays(1));
        var validator = new PinnedServerValidator([CaPin.Compute(ca)], [ca]);

        var accepted = validator.Validate(leaf, Presented(leaf, impostor), SslPolicyErrors.RemoteCertificateChainErrors);

        Assert.False(accepted);
        Assert.NotNull(validator.LastFailure);
    }

    [Fact]
    public void Validate_PresentedCaNotPinned_RefusesNamingBothFingerprints()
    {
        using var root = Authority("CN=Throwaway root", issuer: null);
        using var ca = Authority("CN=Fleet CA", issuer: root);
        using var leaf = Leaf(ca, Now.AddDays(-1), Now.AddDays(1));
        var pinned = "sha256:" + new string('a', 64);
        var validator = new PinnedServerValidator([pinned]);

        Assert.False(validator.Validate(leaf, Presented(leaf, ca), SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Contains("does not match the pinned fingerprint", validator.LastFailure, StringComparison.Ordinal);
        Assert.Contains(pinned, validator.LastFailure, StringComparison.Ordinal);
        Assert.Contains(CaPin.Compute(ca), validator.LastFailure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SecondPinDuringRotation_Accepted()
    {
        using var oldCa = Authority("CN=Fleet CA 1", issuer: null);
        using var newCa = Authority("CN=Fleet CA 2", issuer: null);
        using var leaf = Leaf(newCa, Now.AddDays(-1), Now.AddDays(1));
        var validator = new PinnedServerValidator([CaPin.Compute(oldCa), CaPin.Compute(newCa)], [oldCa, newCa]);

        Assert.True(validator.Validate(leaf, Presented(leaf), SslPolicyErrors.RemoteCertificateChainErrors), validator.LastFailure);
        Assert.Equal(CaPin.Compute(newCa), validator.LastMatchedPin);
    }

    [Fact]
    public void Validate_ExpiredLeaf_Refused()
    {
        using var ca = Authority("CN=Fleet CA", issuer: null);
        using var leaf = Leaf(ca, Now.AddDays(-3), Now.AddDays(-1));
        var validator = new PinnedServerValidator([CaPin.Compute(ca)], [ca]);

        Assert.False(validator.Validate(leaf, Presented(leaf), SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Contains("does not validate against the pinned CA", validator.LastFailure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NameMismatch_Refused()
    {
        using var ca = Authority("CN=Fleet CA", issuer: null);
        using var leaf = Leaf(ca, Now.AddDays(-1), Now.AddDays(1));
        var validator = new PinnedServerValidator([CaPin.Compute(ca)], [ca]);

        Assert.False(validator.Validate(leaf, Presented(leaf), SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.Contains("does not name the address", validator.LastFailure, StringComparison.Ordinal);
    }

    private static X509Chain Presented(X509Certificate2 leaf, params X509Certificate2[] sent)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.AddRange(sent);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.Build(leaf);
        return chain;
    }

    private static X509Certificate2 SelfSignedAuthority(string subject, ECDsa key) => AuthorityRequest(subject, key).CreateSelfSigned(Now.AddDays(-10), Now.AddYears(1));

    private static CertificateRequest AuthorityRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static X509Certificate2 Authority(string subject, X509Certificate2? issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = AuthorityRequest(subject, key);
        if (issuer is null)
        {
            return request.CreateSelfSigned(Now.AddDays(-10), Now.AddYears(1));
        }

        using var issued = request.Create(issuer, Now.AddDays(-10), Now.AddYears(1), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    private static X509Certificate2 Leaf(X509Certificate2 ca, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        return request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));
    }
}
