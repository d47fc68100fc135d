using System.Security.Cryptography;
using Fleet.Core.Secrets;

namespace Fleet.Agent.Secrets;

/// <summary>
/// The agent's ECDH P-256 encryption key, STATE/secrets.key (PKCS#8 PEM, 0600). Operators seal
/// secrets for its public key, which the agent registers at enrollment and in every Hello. Made at
/// enrollment, or at the first start of an agent enrolled before secrets existed.
/// </summary>
internal sealed class AgentEncryptionKey : IDisposable
{
    public const string FileName = "secrets.key";

    private AgentEncryptionKey(ECDiffieHellman key)
    {
        Key = key;
        PublicKey = EncryptionKeys.PublicKey(key);
        Fingerprint = EncryptionKeys.Fingerprint(PublicKey);
    }

    public ECDiffieHellman Key { get; }

    /// <summary>SubjectPublicKeyInfo DER.</summary>
    public byte[] PublicKey { get; }

    public string Fingerprint { get; }

    /// <summary>A new key, not yet written (enrollment writes it once the controller accepted the agent).</summary>
    public static AgentEncryptionKey Generate() => new(EncryptionKeys.Generate());

    /// <summary>Reads STATE/secrets.key, creating it when it does not exist.</summary>
    public static AgentEncryptionKey LoadOrCreate(string stateDir)
    {
        var path = Path.Combine(stateDir, FileName);
        if (!File.Exists(path))
        {
            using var created = Generate();
            created.Save(stateDir);
        }

        return new AgentEncryptionKey(EncryptionKeys.ImportPrivatePem(File.ReadAllText(path)));
    }

    /// <summary>Writes the key 0600 beside a temporary name and moves it in place, replacing an older key.</summary>
    public void Save(string stateDir)
    {
        var path = Path.Combine(stateDir, FileName);
        var staging = $"{path}.new-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        using (var stream = new FileStream(staging, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Key.ExportPkcs8PrivateKeyPem());
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(staging, path, overwrite: true);
    }

    public void Dispose() => Key.Dispose();
}
