using System.Security.Cryptography;
using System.Text;
using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

public sealed class DsseTests : IDisposable
{
    private const string Type = "application/vnd.fleet.test+json";
    private readonly TestTrust _trust = new();

    [Fact]
    public void PreAuthenticationEncoding_SpecExample_MatchesSpec()
    {
        var pae = Dsse.PreAuthenticationEncoding("http://example.com/HelloWorld", "hello world"u8);

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void PreAuthenticationEncoding_MultiByteType_CountsBytesNotCharacters()
    {
        var pae = Dsse.PreAuthenticationEncoding("é", []);

        Assert.Equal("DSSEv1 2 é 0 ", Encoding.UTF8.GetString(pae));
    }

    [Fact]
    public void Sign_TwoKeys_BothVerify()
    {
        var envelope = Dsse.Sign(Type, "{}"u8.ToArray(), [_trust.Alice, _trust.Bob]);

        var signers = DsseVerifier.VerifiedSigners(envelope, [_trust.Alice.PublicKey, _trust.Bob.PublicKey]);

        Assert.Equal(new[] { _trust.Alice.KeyId, _trust.Bob.KeyId }.Order(StringComparer.Ordinal), signers.Order(StringComparer.Ordinal));
        Assert.Equal(_trust.Alice.KeyId, envelope.Signatures[0].KeyId);
    }

    [Fact]
    public void Sign_Signature_IsDerEncodedOverPae()
    {
        var payload = "{\"a\":1}"u8.ToArray();
        var envelope = Dsse.Sign(Type, payload, [_trust.Alice]);
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_trust.Alice.PublicKey.SubjectPublicKeyInfo, out _);

        var signature = envelope.Signatures[0].Signature;

        Assert.Equal(0x30, signature[0]);
        Assert.True(key.VerifyData(Dsse.PreAuthenticationEncoding(Type, payload), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void VerifiedSigners_OnePayloadByteChanged_NoSigner()
    {
        var envelope = Dsse.Sign(Type, "{\"sequence\":5}"u8.ToArray(), [_trust.Alice]);
        var tampered = envelope with { Payload = "{\"sequence\":6}"u8.ToArray() };

        Assert.Empty(DsseVerifier.VerifiedSigners(tampered, [_trust.Alice.PublicKey]));
    }

    [Fact]
    public void VerifiedSigners_PayloadTypeChanged_NoSigner()
    {
        var envelope = Dsse.Sign(Type, "{}"u8.ToArray(), [_trust.Alice]);

        Assert.Empty(DsseVerifier.VerifiedSigners(envelope with { PayloadType = "text/plain" }, [_trust.Alice.PublicKey]));
    }

    [Fact]
    public void VerifiedSigners_UnknownKey_NoSigner()
    {
        var envelope = Dsse.Sign(Type, "{}"u8.ToArray(), [_trust.Dave]);

        Assert.Empty(DsseVerifier.VerifiedSigners(envelope, [_trust.Alice.PublicKey, _trust.Bob.PublicKey]));
    }

    [Fact]
    public void VerifiedSigners_SameKeySignedTwice_CountsOnce()
    {
        var envelope = Dsse.Sign(Type, "{}"u8.ToArray(), [_trust.Alice, _trust.Alice]);

        var signers = DsseVerifier.VerifiedSigners(envelope, [_trust.Alice.PublicKey, _trust.Bob.PublicKey]);

        Assert.Equal(2, envelope.Signatures.Count);
        Assert.Equal([_trust.Alice.KeyId], signers);
    }

    [Fact]
    public void TrustedSignatures_JunkDuplicateAndUnknownKey_OnePerTrustedKeyLabelledWithItsKey()
    {
        var envelope = Dsse.Sign(Type, "{}"u8.ToArray(), [_trust.Dave, _trust.Alice, _trust.Alice, _trust.Bob]);
        var bobWithWrongHint = envelope.Signatures[3] with { KeyId = "sha256:nobody" };
        var junk = new DsseSignature(_trust.Alice.KeyId, [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]);
        var noisy = envelope with { Signatures = [junk, envelope.Signatures[0], envelope.Signatures[1], envelope.Signatures[2], bobWithWrongHint] };

        var trusted = DsseVerifier.TrustedSignatures(noisy, [_trust.Alice.PublicKey, _trust.Bob.PublicKey]);

        Assert.Equal([_trust.Alice.KeyId, _trust.Bob.KeyId], trusted.Select(s => s.KeyId));
        Assert.Equal(envelope.Signatures[1].Signature, trusted[0].Signature);
        Assert.Equal(envelope.Signatures[3].Signature, trusted[1].Signature);
    }

    [Fact]
    public void VerifiedSigners_UnknownKeyClaimsTrustedKeyId_NotCounted()
    {
        var envelope = Dsse.Sign(Type, "{}"u8.ToArray(), [_trust.Dave]);
        var lying = envelope with { Signatures = [envelope.Signatures[0] with { KeyId = _trust.Alice.KeyId }] };

        Assert.Empty(DsseVerifier.VerifiedSigners(lying, [_trust.Alice.PublicKey]));
    }

    [Fact]
    public void VerifiedSigners_TrustedSignatureWithWrongKeyId_CountsTheRealSigner()
    {
        var envelope = Dsse.Sign(Type, "{}"u8.ToArray(), [_trust.Bob]);
        var misLabelled = envelope with { Signatures = [envelope.Signatures[0] with { KeyId = _trust.Alice.KeyId }] };

        Assert.Equal([_trust.Bob.KeyId], DsseVerifier.VerifiedSigners(misLabelled, [_trust.Alice.PublicKey, _trust.Bob.PublicKey]));
    }

    [Fact]
    public void VerifiedSigners_GarbageSignatureBytes_NoSignerNoException()
    {
        var envelope = new DsseEnvelope(Type, "{}"u8.ToArray(), [new DsseSignature(_trust.Alice.KeyId, [1, 2, 3])]);

        Assert.Empty(DsseVerifier.VerifiedSigners(envelope, [_trust.Alice.PublicKey]));
    }

    public void Dispose() => _trust.Dispose();
}
