using System.Security.Cryptography;

namespace Fleet.Core.Secrets;

/// <summary>
/// ECDH P-256 encryption keys: public keys travel as SubjectPublicKeyInfo DER, private keys rest
/// as PKCS#8 PEM, and a key is named by its fingerprint (<c>sha256:</c> and the hex of the DER's hash).
/// </summary>
public static class EncryptionKeys
{
    public static ECDiffieHellman Generate() => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public static byte[] PublicKey(ECDiffieHellman key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportSubjectPublicKeyInfo();
    }

    public static string Fingerprint(ReadOnlySpan<byte> publicKey) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(publicKey));

    /// <summary>Reads a public key; refuses anything but a P-256 key with <see cref="SecretSealException"/>.</summary>
    public static ECDiffieHellman ImportPublic(ReadOnlySpan<byte> publicKey)
    {
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(publicKey, out _);
            if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new SecretSealException("the encryption public key is not a P-256 key");
            }

            return key;
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new SecretSealException("the encryption public key is not a valid P-256 SubjectPublicKeyInfo");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Reads a private key PEM (PKCS#8).</summary>
    public static ECDiffieHellman ImportPrivatePem(string pem)
    {
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportFromPem(pem);
            return key.KeySize == 256 ? key : throw new SecretSealException("the encryption private key is not a P-256 key");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    internal static byte[] Point(ECDiffieHellman key)
    {
        var parameters = key.ExportParameters(false);
        return [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
    }

    internal static ECDiffieHellman ImportPoint(byte[] point)
    {
        if (point.Length != 65 || point[0] != 0x04)
        {
            throw new CryptographicException("not an uncompressed P-256 point");
        }

        return ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..] },
        });
    }
}
