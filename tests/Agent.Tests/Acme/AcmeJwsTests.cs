using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Acme;

namespace Fleet.Agent.Tests.Acme;

public sealed class AcmeJwsTests
{
    private static readonly Uri Url = new("https://ca.test/acme/new-order");

    [Fact]
    public void Sign_WithoutKid_PutsJwkNonceAndExactUrlInHeader()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var jws = Parse(AcmeJws.Sign(key, kid: null, "nonce-1", Url, "{\"a\":1}"u8.ToArray()));

        var header = Header(jws);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("nonce-1", header.GetProperty("nonce").GetString());
        Assert.Equal("https://ca.test/acme/new-order", header.GetProperty("url").GetString());
        Assert.Equal("EC", header.GetProperty("jwk").GetProperty("kty").GetString());
        Assert.False(header.TryGetProperty("kid", out _));
        Assert.True(Verify(key, jws));
    }

    [Fact]
    public void Sign_WithKid_HasKidAndNoJwk()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var header = Header(Parse(AcmeJws.Sign(key, "https://ca.test/acct/1", "n", Url, "{}"u8.ToArray())));

        Assert.Equal("https://ca.test/acct/1", header.GetProperty("kid").GetString());
        Assert.False(header.TryGetProperty("jwk", out _));
    }

    [Fact]
    public void Sign_NullPayload_IsPostAsGetWithEmptyPayload()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var jws = Parse(AcmeJws.Sign(key, "https://ca.test/acct/1", "n", Url, payload: null));

        Assert.Equal(string.Empty, jws.GetProperty("payload").GetString());
        Assert.Equal(64, Base64Url.DecodeFromChars(jws.GetProperty("signature").GetString()).Length);
        Assert.True(Verify(key, jws));
    }

    [Fact]
    public void Sign_P384Key_IsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => AcmeJws.Sign(key, null, "n", Url, null));
    }

    [Fact]
    public void Thumbprint_Rfc7515AppendixA3Key_HashesCanonicalJwk()
    {
        // The ES256 example key of RFC 7515 Appendix A.3.
        const string X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
        const string Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(X), Y = Base64Url.DecodeFromChars(Y) },
        });
        const string canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + X + "\",\"y\":\"" + Y + "\"}";

        Assert.Equal(canonical, Encoding.UTF8.GetString(AcmeJws.JwkBytes(key)));
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), AcmeJws.Thumbprint(key));
    }

    [Fact]
    public void SignExternalAccountBinding_SignsAccountJwkWithHs256()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var mac = RandomNumberGenerator.GetBytes(32);

        var jws = Parse(AcmeJws.SignExternalAccountBinding(key, "kid-7", mac, Url));

        var header = Header(jws);
        Assert.Equal("HS256", header.GetProperty("alg").GetString());
        Assert.Equal("kid-7", header.GetProperty("kid").GetString());
        Assert.False(header.TryGetProperty("nonce", out _));
        Assert.Equal(AcmeJws.JwkBytes(key), Base64Url.DecodeFromChars(jws.GetProperty("payload").GetString()));
        var input = Encoding.ASCII.GetBytes(jws.GetProperty("protected").GetString() + "." + jws.GetProperty("payload").GetString());
        Assert.Equal(HMACSHA256.HashData(mac, input), Base64Url.DecodeFromChars(jws.GetProperty("signature").GetString()));
    }

    private static JsonElement Parse(byte[] jws) => JsonDocument.Parse(jws).RootElement;

    private static JsonElement Header(JsonElement jws) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(jws.GetProperty("protected").GetString())).RootElement;

    private static bool Verify(ECDsa key, JsonElement jws) =>
        key.VerifyData(Encoding.ASCII.GetBytes(jws.GetProperty("protected").GetString() + "." + jws.GetProperty("payload").GetString()),
            Base64Url.DecodeFromChars(jws.GetProperty("signature").GetString()), HashAlgorithmName.SHA256);
}
