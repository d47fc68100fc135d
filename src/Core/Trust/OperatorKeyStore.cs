using System.Text.RegularExpressions;

namespace Fleet.Core.Trust;

/// <summary>An operator key on disk: its name, key id and public key.</summary>
public sealed record OperatorKeyInfo(string Name, string KeyId, OperatorPublicKey PublicKey);

/// <summary>
/// Operator keys in one folder (the CLI's config folder): <c>NAME.key</c> is the PKCS#8 private
/// key PEM, created 0600 inside a 0700 folder; <c>NAME.pub</c> is the public key PEM to share.
/// </summary>
public sealed partial class OperatorKeyStore(string directory)
{
    private const string PrivateSuffix = ".key";
    private const string PublicSuffix = ".pub";
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public string Directory { get; } = directory;

    /// <summary>Key names: lowercase letters, digits, '.', '_' and '-', at most 64, so a name never escapes the folder.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Creates a new key; refuses an invalid name or a name already in use.</summary>
    public OperatorKeyInfo Generate(string name)
    {
        RequireValidName(name);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("operator keys need Unix file permissions");
        }

        CreateFolder();
        var privatePath = PathOf(name, PrivateSuffix);
        if (File.Exists(PathOf(name, PublicSuffix)))
        {
            throw new InvalidOperationException($"a key named '{name}' already exists in {Directory}");
        }

        using var key = OperatorKey.Generate(name);
        try
        {
            // CreateNew: never overwrite a key someone may already have shared.
            using var stream = new FileStream(privatePath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            using var writer = new StreamWriter(stream);
            writer.Write(key.ToPrivatePem());
        }
        catch (IOException ex) when (File.Exists(privatePath))
        {
            throw new InvalidOperationException($"a key named '{name}' already exists in {Directory}", ex);
        }

        File.WriteAllText(PathOf(name, PublicSuffix), key.PublicKey.ToPem());
        return new OperatorKeyInfo(name, key.KeyId, key.PublicKey);
    }

    /// <summary>Adds another operator's public key (their <c>NAME.pub</c>) so it can be named in a trust policy.</summary>
    public OperatorKeyInfo ImportPublic(string name, string publicKeyPem)
    {
        RequireValidName(name);
        var publicKey = OperatorPublicKey.FromPem(publicKeyPem);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("operator keys need Unix file permissions");
        }

        CreateFolder();
        var path = PathOf(name, PublicSuffix);
        if (File.Exists(path))
        {
            throw new InvalidOperationException($"a key named '{name}' already exists in {Directory}");
        }

        File.WriteAllText(path, publicKey.ToPem());
        return new OperatorKeyInfo(name, publicKey.KeyId, publicKey);
    }

    /// <summary>Every key in the folder, by name: generated ones and imported public keys.</summary>
    public IReadOnlyList<OperatorKeyInfo> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return [.. System.IO.Directory.EnumerateFiles(Directory, "*" + PublicSuffix)
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Where(IsValidName)
            .Order(StringComparer.Ordinal)
            .Select(LoadPublic)];
    }

    public OperatorKeyInfo LoadPublic(string name)
    {
        RequireValidName(name);
        var path = PathOf(name, PublicSuffix);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"no key named '{name}' in {Directory}");
        }

        var publicKey = OperatorPublicKey.FromPem(File.ReadAllText(path));
        return new OperatorKeyInfo(name, publicKey.KeyId, publicKey);
    }

    /// <summary>Loads a private key; refuses one that group or others can access, as ssh does.</summary>
    public OperatorKey LoadPrivate(string name)
    {
        RequireValidName(name);
        var path = PathOf(name, PrivateSuffix);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"no private key named '{name}' in {Directory}");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
        {
            throw new InvalidOperationException($"private key {path} is accessible by group or others; run chmod 600 on it");
        }

        return OperatorKey.FromPem(name, File.ReadAllText(path));
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void CreateFolder() =>
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

    private string PathOf(string name, string suffix) => Path.Combine(Directory, name + suffix);

    private static void RequireValidName(string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"invalid key name '{name}': use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
                nameof(name));
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}\z")]
    private static partial Regex NamePattern();
}
