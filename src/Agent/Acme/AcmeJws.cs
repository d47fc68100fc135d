using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Fleet.Agent.Acme;

/// <summary>Flattened JWS (RFC 7515) as ACME requires it (RFC 8555 §6.2): ES256 with P-256 keys.</summary>
internal static class AcmeJws
{
    /// <summary>
    /// Signs one request. Exactly one of <c>jwk</c> (when <paramref name="kid"/> is null: newAccount,
    /// revocation by certificate key) or <c>kid</c> goes in the protected header, with the nonce and
    /// the exact URL. A null payload is POST-as-GET (an empty payload string).
    /// </summary>
    public static byte[] Sign(ECDsa key, string? kid, string? nonce, Uri url, byte[]? payload)
    {
        using var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("alg", "ES256");
            if (kid is null)
            {
                w.WritePropertyName("jwk");
                WriteJwk(w, key);
            }
            else
            {
                w.WriteString("kid", kid);
            }

            if (nonce is not null)
            {
                w.WriteString("nonce", nonce);
            }

            w.WriteString("url", url.AbsoluteUri);
            w.WriteEndObject();
        }

        return Flatten(header.ToArray(), payload, input => key.SignData(input, HashAlgorithmName.SHA256));
    }

    /// <summary>External Account Binding (RFC 8555 §7.3.4): the account's JWK signed with the CA's MAC key.</summary>
    public static byte[] SignExternalAccountBinding(ECDsa accountKey, string eabKeyId, byte[] hmacKey, Uri newAccountUrl)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["alg"] = "HS256",
            ["kid"] = eabKeyId,
            ["url"] = newAccountUrl.AbsoluteUri,
        });
        return Flatten(header, JwkBytes(accountKey), input => HMACSHA256.HashData(hmacKey, input));
    }

    /// <summary>The public key as a JWK with members in lexicographic order, as RFC 7638 thumbprints need.</summary>
    public static byte[] JwkBytes(ECDsa key)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            WriteJwk(w, key);
        }

        return stream.ToArray();
    }

    /// <summary>RFC 7638 thumbprint, base64url: the second half of every key authorization.</summary>
    public static string Thumbprint(ECDsa key) => Base64Url.EncodeToString(SHA256.HashData(JwkBytes(key)));

    private static void WriteJwk(Utf8JsonWriter w, ECDsa key)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        if (p.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("ACME account keys must be ECDSA P-256 (ES256).", nameof(key));
        }

        w.WriteStartObject();
        w.WriteString("crv", "P-256");
        w.WriteString("kty", "EC");
        w.WriteString("x", Base64Url.EncodeToString(p.Q.X));
        w.WriteString("y", Base64Url.EncodeToString(p.Q.Y));
        w.WriteEndObject();
    }

    private static byte[] Flatten(byte[] protectedHeader, byte[]? payload, Func<byte[], byte[]> sign)
    {
        var protectedB64 = Base64Url.EncodeToString(protectedHeader);
        var payloadB64 = payload is null ? string.Empty : Base64Url.EncodeToString(payload);
        // .NET signs ECDSA in IEEE P1363 form (r||s, 64 bytes for P-256), which is what JWS wants.
        var signature = sign(Encoding.ASCII.GetBytes(protectedB64 + "." + payloadB64));
        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["protected"] = protectedB64,
            ["payload"] = payloadB64,
            ["signature"] = Base64Url.EncodeToString(signature),
        });
    }
}
