using System.Security.Cryptography;

namespace Fleet.Core.Trust;

/// <summary>
/// An operator's ECDSA P-256 public key. <see cref="KeyId"/> is <c>sha256:</c> + lowercase hex
/// SHA-256 of the DER SubjectPublicKeyInfo, so it is derived from the key and cannot be chosen.
/// </summary>
public sealed class OperatorPublicKey
{
    private readonly byte[] _spki;

    private OperatorPublicKey(byte[] spki, string keyId)
    {
        _spki = spki;
        KeyId = keyId;
    }

    public string KeyId { get; }

    public ReadOnlySpan<byte> SubjectPublicKeyInfo => _spki;

    public static string ComputeKeyId(ReadOnlySpan<byte> spki) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(spki));

    /// <summary>Reads a DER SubjectPublicKeyInfo; refuses anything but an EC P-256 key.</summary>
    public static OperatorPublicKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> spki)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            if (read != spki.Length)
            {
                throw new CryptographicException("trailing bytes after the public key");
            }
        }
        catch (CryptographicException ex)
        {
            throw new DsseFormatException("not an ECDSA public key (SubjectPublicKeyInfo)", ex);
        }

        if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new DsseFormatException("operator keys must be ECDSA P-256");
        }

        var copy = spki.ToArray();
        return new OperatorPublicKey(copy, ComputeKeyId(copy));
    }

    /// <summary>Reads a PEM <c>PUBLIC KEY</c> block.</summary>
    public static OperatorPublicKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] is not "PUBLIC KEY")
        {
            throw new DsseFormatException("expected a PEM 'PUBLIC KEY' block");
        }

        return FromSubjectPublicKeyInfo(Convert.FromBase64String(pem[fields.Base64Data]));
    }

    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", _spki);

    /// <summary>True when <paramref name="signature"/> (DER) is this key's signature over <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_spki, out _);
        try
        {
            return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
