using System.Security.Cryptography;
using Fleet.Core.Secrets;

namespace Fleet.Core.Tests.Secrets;

public sealed class SecretSealerTests : IDisposable
{
    private readonly ECDiffieHellman _agent = EncryptionKeys.Generate();
    private readonly ECDiffieHellman _otherAgent = EncryptionKeys.Generate();
    private readonly SecretValue _value = SecretValue.Create("hunter2-db-password"u8.ToArray());

    private SecretContext Context => new("shop", "staging", "db_password", _value.Version("shop", "staging", "db_password"));

    [Fact]
    public void Open_CopySealedForThisAgent_ReturnsValue()
    {
        var sealedCopy = _value.SealFor(EncryptionKeys.PublicKey(_agent), "shop", "staging", "db_password");

        var opened = SecretValue.Open(_agent, Context, sealedCopy);

        Assert.Equal("hunter2-db-password"u8.ToArray(), opened.Value);
        Assert.Equal(-1, sealedCopy.AsSpan().IndexOf("hunter2"u8));
    }

    [Fact]
    public void Open_WithAnotherAgentsKey_Fails()
    {
        var sealedCopy = _value.SealFor(EncryptionKeys.PublicKey(_agent), "shop", "staging", "db_password");

        var error = Assert.Throws<SecretSealException>(() => SecretValue.Open(_otherAgent, Context, sealedCopy));

        Assert.Contains("does not open with this key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(70)]
    [InlineData(80)]
    [InlineData(100)]
    public void Open_AnyByteAltered_Fails(int index)
    {
        var sealedCopy = _value.SealFor(EncryptionKeys.PublicKey(_agent), "shop", "staging", "db_password");
        sealedCopy[index] ^= 0x01;

        Assert.Throws<SecretSealException>(() => SecretValue.Open(_agent, Context, sealedCopy));
    }

    [Theory]
    [InlineData("blog", "staging", "db_password")]
    [InlineData("shop", "production", "db_password")]
    [InlineData("shop", "staging", "jwt_key")]
    public void Open_UnderAnotherAppEnvironmentOrName_Fails(string app, string environment, string name)
    {
        var sealedCopy = _value.SealFor(EncryptionKeys.PublicKey(_agent), "shop", "staging", "db_password");

        Assert.Throws<SecretSealException>(() => SecretValue.Open(_agent, Context with { App = app, Environment = environment, Name = name }, sealedCopy));
    }

    [Fact]
    public void Open_UnderAnotherVersion_Fails()
    {
        var sealedCopy = _value.SealFor(EncryptionKeys.PublicKey(_agent), "shop", "staging", "db_password");
        var other = SecretValue.Create("hunter2-db-password"u8.ToArray()).Version("shop", "staging", "db_password");

        Assert.Throws<SecretSealException>(() => SecretValue.Open(_agent, Context with { Version = other }, sealedCopy));
    }

    [Fact]
    public void Open_ValueSealedByAnyoneUnderAVersionItDoesNotMatch_Fails()
    {
        // The controller holds every agent's public key: it can seal, but not for a version a release signed.
        var forged = SecretValue.Create("attacker"u8.ToArray());
        var sealedCopy = SecretSealer.Seal(EncryptionKeys.PublicKey(_agent), Context, forged.Encode());

        var error = Assert.Throws<SecretSealException>(() => SecretValue.Open(_agent, Context, sealedCopy));

        Assert.Contains("holds a value other than version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_SameValueSetTwice_Differs()
    {
        var again = SecretValue.Create("hunter2-db-password"u8.ToArray());

        Assert.NotEqual(_value.Version("shop", "staging", "db_password"), again.Version("shop", "staging", "db_password"));
        Assert.Matches("^[0-9a-f]{64}$", again.Version("shop", "staging", "db_password"));
    }

    [Fact]
    public void Open_TruncatedCopy_FailsAsMalformed()
    {
        var error = Assert.Throws<SecretSealException>(() => SecretValue.Open(_agent, Context, new byte[20]));

        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ValueOverLimit_Refused() =>
        Assert.Throws<ArgumentException>(() => SecretValue.Create(new byte[SecretValue.MaxBytes + 1]));

    [Fact]
    public void ImportPublic_NotP256_Refused()
    {
        using var p384 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<SecretSealException>(() => EncryptionKeys.ImportPublic(p384.ExportSubjectPublicKeyInfo()).Dispose());
        Assert.Throws<SecretSealException>(() => EncryptionKeys.ImportPublic(new byte[] { 1, 2, 3 }).Dispose());
    }

    public void Dispose()
    {
        _agent.Dispose();
        _otherAgent.Dispose();
    }
}
