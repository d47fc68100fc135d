using System.Security.Cryptography;

namespace Fleet.Core.Secrets;

/// <summary>
/// Seals a value for one recipient's ECDH P-256 public key, in .NET's own cryptography: an
/// ephemeral P-256 key agrees a secret with the recipient's, HKDF-SHA256 turns it into an
/// AES-256-GCM key, and the <see cref="SecretContext"/> is the associated data. Only the holder of
/// the recipient's private key opens it. Layout: version byte 1, the ephemeral public point
/// (65 bytes, uncompressed), nonce (12), tag (16), ciphertext.
/// </summary>
public static class SecretSealer
{
    private const byte FormatVersion = 1;
    private const int PointBytes = 65;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int HeaderBytes = 1 + PointBytes + NonceBytes + TagBytes;
    private static readonly byte[] KeyInfo = "fleet.sealed-secret.v1 aes-256-gcm"u8.ToArray();

    public static byte[] Seal(ReadOnlySpan<byte> recipientPublicKey, SecretContext context, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var recipient = EncryptionKeys.ImportPublic(recipientPublicKey);
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var ephemeralPoint = EncryptionKeys.Point(ephemeral);
        var key = DeriveKey(ephemeral, recipient.PublicKey, ephemeralPoint, EncryptionKeys.Point(recipient));

        var sealedCopy = new byte[HeaderBytes + plaintext.Length];
        sealedCopy[0] = FormatVersion;
        ephemeralPoint.CopyTo(sealedCopy, 1);
        var nonce = sealedCopy.AsSpan(1 + PointBytes, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plaintext, sealedCopy.AsSpan(HeaderBytes), sealedCopy.AsSpan(1 + PointBytes + NonceBytes, TagBytes), context.AssociatedData());
        CryptographicOperations.ZeroMemory(key);
        return sealedCopy;
    }

    /// <summary>Opens a copy sealed for <paramref name="recipient"/>; throws <see cref="SecretSealException"/> otherwise.</summary>
    public static byte[] Open(ECDiffieHellman recipient, SecretContext context, ReadOnlySpan<byte> sealedCopy)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(context);
        if (sealedCopy.Length < HeaderBytes || sealedCopy[0] != FormatVersion)
        {
            throw new SecretSealException($"the sealed copy of secret '{context.Name}' is malformed");
        }

        var ephemeralPoint = sealedCopy.Slice(1, PointBytes).ToArray();
        byte[] key;
        try
        {
            using var ephemeral = EncryptionKeys.ImportPoint(ephemeralPoint);
            key = DeriveKey(recipient, ephemeral.PublicKey, ephemeralPoint, EncryptionKeys.Point(recipient));
        }
        catch (CryptographicException)
        {
            throw new SecretSealException($"the sealed copy of secret '{context.Name}' is malformed");
        }

        var plaintext = new byte[sealedCopy.Length - HeaderBytes];
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(
                sealedCopy.Slice(1 + PointBytes, NonceBytes), sealedCopy[HeaderBytes..], sealedCopy.Slice(1 + PointBytes + NonceBytes, TagBytes),
                plaintext, context.AssociatedData());
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new SecretSealException(
                $"the sealed copy of secret '{context.Name}' version {context.Version} does not open with this key: sealed for another key, for another app, environment, name or version, or altered");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] DeriveKey(ECDiffieHellman own, ECDiffieHellmanPublicKey other, byte[] ephemeralPoint, byte[] recipientPoint)
    {
        var shared = own.DeriveRawSecretAgreement(other);
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, salt: [.. ephemeralPoint, .. recipientPoint], info: KeyInfo);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }
}
