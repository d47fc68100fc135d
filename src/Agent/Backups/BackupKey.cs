using System.Security.Cryptography;
using System.Text;

namespace Fleet.Agent.Backups;

/// <summary>
/// The 32-byte AES-256 master key of a declaration, read from a file holding its base64. Its id
/// (8 bytes of a SHA-256 over a label and the key) goes into every backup header so a restore
/// with the wrong key is refused with a clear message before any decryption.
/// </summary>
internal sealed class BackupKey
{
    private static readonly byte[] IdLabel = Encoding.ASCII.GetBytes("fleet-backup key id v1");

    private BackupKey(byte[] material)
    {
        Material = material;
        var id = SHA256.HashData([.. IdLabel, .. material]);
        Id = id.AsSpan(0, 8).ToArray();
    }

    public byte[] Material { get; }

    public byte[] Id { get; }

    public string IdHex => Convert.ToHexStringLower(Id);

    public static BackupKey FromBytes(ReadOnlySpan<byte> material) =>
        material.Length == 32
            ? new BackupKey(material.ToArray())
            : throw new BackupException("an encryption key must be exactly 32 bytes");

    public static BackupKey Load(string path)
    {
        byte[] material;
        try
        {
            material = Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        catch (FormatException)
        {
            throw new BackupException($"encryption key file '{path}' does not hold base64");
        }
        catch (IOException ex)
        {
            throw new BackupException($"cannot read encryption key file '{path}': {ex.Message}");
        }
        return material.Length == 32
            ? new BackupKey(material)
            : throw new BackupException($"encryption key file '{path}' must hold 32 bytes (base64), found {material.Length}");
    }

    /// <summary>Writes a new random key file with mode 0600; refuses to overwrite one.</summary>
    public static BackupKey Generate(string path)
    {
        var material = RandomNumberGenerator.GetBytes(32);
        using (var file = new FileStream(path, PrivateFile.Options(FileMode.CreateNew)))
        {
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(material) + "\n"));
            file.Flush(flushToDisk: true);
        }
        return new BackupKey(material);
    }
}
