using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Acme;

/// <summary>A certificate as installed: stable paths readers use, and the leaf.</summary>
internal sealed record InstalledCertificate(string Name, string FullChainPath, string PrivateKeyPath, X509Certificate2 Leaf);

/// <summary>
/// Installs certificates under STATE/NAME/: each version in versions/STAMP/{fullchain.pem,
/// privkey.pem (0600)} and a symlink live → the current version, replaced by one rename, so a
/// reader of live/fullchain.pem and live/privkey.pem never sees a new chain with an old key.
/// The previous version is kept (one back); older ones are removed.
/// </summary>
internal sealed class CertificateInstaller(IOptionsMonitor<CertificatesOptions> options, TimeProvider time)
{
    public const string FullChainFile = "fullchain.pem";
    public const string PrivateKeyFile = "privkey.pem";
    private const string Live = "live";
    private const string Versions = "versions";

    public string CertificateDirectory(string name) => Path.Combine(options.CurrentValue.StateDirectory, name);

    /// <summary>The directory readers use: STATE/NAME/live (a symlink to the current version).</summary>
    public string LiveDirectory(string name) => Path.Combine(CertificateDirectory(name), Live);

    public InstalledCertificate Install(string name, IssuedCertificate issued)
    {
        var root = CertificateDirectory(name);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture);
        var version = Path.Combine(root, Versions, stamp);
        Directory.CreateDirectory(version);
        SecureFile.WriteAtomic(Path.Combine(version, PrivateKeyFile), issued.PrivateKeyPem, SecureFile.OwnerOnly);
        SecureFile.WriteAtomic(Path.Combine(version, FullChainFile), issued.Chain.Pem, SecureFile.WorldReadable);

        var link = LiveDirectory(name);
        var previous = Directory.Exists(link) ? new DirectoryInfo(link).LinkTarget : null;
        var temp = link + ".tmp-" + Guid.NewGuid().ToString("N");
        File.CreateSymbolicLink(temp, Path.Combine(Versions, stamp));
        AtomicRename.Replace(temp, link);

        RemoveOlderThan(root, previous, stamp);
        return Load(name) ?? throw new IOException($"The certificate {name} was installed but cannot be read back from {link}.");
    }

    /// <summary>The live certificate, or null when none is installed yet.</summary>
    public InstalledCertificate? Load(string name)
    {
        var live = LiveDirectory(name);
        var chain = Path.Combine(live, FullChainFile);
        if (!File.Exists(chain))
        {
            return null;
        }

        var leaf = X509CertificateLoader.LoadCertificate(CertificateChain.Parse(File.ReadAllText(chain)).Leaf.RawData);
        return new InstalledCertificate(name, chain, Path.Combine(live, PrivateKeyFile), leaf);
    }

    private static void RemoveOlderThan(string root, string? previousTarget, string current)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal) { current };
        if (previousTarget is not null)
        {
            keep.Add(Path.GetFileName(previousTarget));
        }

        foreach (var dir in Directory.EnumerateDirectories(Path.Combine(root, Versions)))
        {
            if (!keep.Contains(Path.GetFileName(dir)))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
