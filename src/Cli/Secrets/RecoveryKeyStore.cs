using System.Security.Cryptography;
using Fleet.Core.Secrets;
using Fleet.Core.Trust;

namespace Fleet.Cli.Secrets;

/// <summary>
/// Recovery keys (ECDH P-256) in the <c>secret-keys</c> folder beside the config file (0700):
/// NAME.key is the PKCS#8 private key PEM (0600). <c>fleetctl secrets set</c> seals every value
/// for one of them as well, so <c>grant</c> can open that copy here and seal it for a new agent;
/// whoever holds the file can read every secret of the environments it was used for.
/// </summary>
internal sealed class RecoveryKeyStore(string directory)
{
    private const string Suffix = ".key";

    public string Directory { get; } = directory;

    public string Generate(string name)
    {
        Require(name);
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var key = EncryptionKeys.Generate();
        // CreateNew: a recovery key that sealed secrets must never be overwritten.
        using var stream = new FileStream(PathOf(name), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(key.ExportPkcs8PrivateKeyPem());
        return EncryptionKeys.Fingerprint(EncryptionKeys.PublicKey(key));
    }

    /// <summary>The named key, or the only one in the folder; the caller disposes it.</summary>
    public (string Name, ECDiffieHellman Key) Load(string? name)
    {
        if (name is null)
        {
            var names = System.IO.Directory.Exists(Directory)
                ? System.IO.Directory.EnumerateFiles(Directory, "*" + Suffix).Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
                : [];
            name = names.Count switch
            {
                1 => names[0],
                0 => throw new CliException($"no recovery key in {Directory}; run fleetctl secrets keygen --name NAME (or copy the team's key file there)"),
                _ => throw CliException.Usage($"several recovery keys ({string.Join(", ", names)}); choose with --recovery-key NAME"),
            };
        }

        Require(name);
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            throw new CliException($"no recovery key '{name}' in {Directory}");
        }

        try
        {
            return (name, EncryptionKeys.ImportPrivatePem(File.ReadAllText(path)));
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or SecretSealException)
        {
            throw new CliException($"{path} is not an ECDH P-256 private key: {ex.Message}", inner: ex);
        }
    }

    private string PathOf(string name) => Path.Combine(Directory, name + Suffix);

    private static void Require(string name)
    {
        if (!OperatorKeyStore.IsValidName(name))
        {
            throw CliException.Usage($"'{name}' is not a key name: lowercase letters, digits, '.', '_' and '-', at most 64");
        }
    }
}
