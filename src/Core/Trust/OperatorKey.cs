using System.Security.Cryptography;

namespace Fleet.Core.Trust;

/// <summary>An operator's private ECDSA P-256 signing key. It never leaves the operator's machine.</summary>
public sealed class OperatorKey : IDisposable
{
    private readonly ECDsa _key;

    private OperatorKey(string name, ECDsa key)
    {
        Name = name;
        _key = key;
        PublicKey = OperatorPublicKey.FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo());
    }

    public string Name { get; }

    public OperatorPublicKey PublicKey { get; }

    public string KeyId => PublicKey.KeyId;

    public static OperatorKey Generate(string name) =>
        new(name, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Reads a PKCS#8 <c>PRIVATE KEY</c> PEM; refuses anything but P-256.</summary>
    public static OperatorKey FromPem(string name, string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new DsseFormatException($"key '{name}' is not an ECDSA private key PEM", ex);
        }

        if (key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new DsseFormatException($"key '{name}' is not ECDSA P-256");
        }

        return new OperatorKey(name, key);
    }

    public string ToPrivatePem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>DER-encoded ECDSA signature over SHA-256 of <paramref name="data"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose() => _key.Dispose();
}
