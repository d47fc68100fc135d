using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Fleet.Agent.Identity;

/// <summary>
/// The agent's identity in its state directory: agent.key (never leaves the machine),
/// agent.crt, ca.crt and agent.json. Every file is created 0600 in a 0700 folder. A new identity
/// is written into a staging folder and moved in at the end, so a failure leaves nothing behind.
/// </summary>
internal sealed class IdentityStore(string stateDir)
{
    public const string KeyFile = "agent.key";
    public const string CertificateFile = "agent.crt";
    public const string CaBundleFile = "ca.crt";
    public const string ConfigFile = "agent.json";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnlyFile | UnixFileMode.UserExecute;
    private static readonly string[] AllFiles = [KeyFile, CertificateFile, CaBundleFile, ConfigFile];

    public string StateDir { get; } = Path.GetFullPath(stateDir);

    public bool HasIdentity => AllFiles.Any(f => File.Exists(Path.Combine(StateDir, f)));

    /// <summary>
    /// Fails now, before a join token is spent, if <see cref="Create"/> could not write here
    /// (no permission, read-only file system). Leaves nothing behind.
    /// </summary>
    public void CheckWritable()
    {
        var staging = CreateStagingFolder();
        Directory.Delete(staging);
    }

    /// <summary>Writes a complete new identity; agent.json goes last, so it marks completeness.</summary>
    public void Create(AgentConfig config, IdentityFiles files, bool overwrite)
    {
        if (!overwrite && HasIdentity)
        {
            throw new InvalidOperationException($"an agent identity already exists in {StateDir}; pass --force to replace it");
        }

        var staging = CreateStagingFolder();
        try
        {
            WriteNew(Path.Combine(staging, KeyFile), files.KeyPem);
            WriteNew(Path.Combine(staging, CertificateFile), files.CertificatePem);
            WriteNew(Path.Combine(staging, CaBundleFile), files.CaBundlePem);
            WriteNew(Path.Combine(staging, ConfigFile), JsonSerializer.Serialize(config, AgentConfigJsonContext.Default.AgentConfig));
            if (Directory.Exists(StateDir))
            {
                foreach (var file in AllFiles)
                {
                    File.Move(Path.Combine(staging, file), Path.Combine(StateDir, file), overwrite: true);
                }

                Directory.Delete(staging);
            }
            else
            {
                Directory.Move(staging, StateDir);
            }
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    /// <summary>Replaces key, certificate and CA bundle after a renewal, each file atomically.</summary>
    public void ReplaceCertificate(IdentityFiles files)
    {
        var pending = new (string Name, string Content)[]
        {
            (KeyFile, files.KeyPem), (CertificateFile, files.CertificatePem), (CaBundleFile, files.CaBundlePem),
        };
        var suffix = $".new-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        foreach (var (name, content) in pending)
        {
            WriteNew(Path.Combine(StateDir, name + suffix), content);
        }

        foreach (var (name, _) in pending)
        {
            File.Move(Path.Combine(StateDir, name + suffix), Path.Combine(StateDir, name), overwrite: true);
        }
    }

    private string CreateStagingFolder()
    {
        var parent = Path.GetDirectoryName(StateDir) ?? throw new InvalidOperationException($"{StateDir} has no parent folder");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(Directory.Exists(StateDir) ? StateDir : parent, $".fleet-enroll-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");
        Directory.CreateDirectory(staging, OwnerOnlyFolder);
        return staging;
    }

    public AgentIdentity Load()
    {
        var configPath = Path.Combine(StateDir, ConfigFile);
        if (!File.Exists(configPath))
        {
            throw new InvalidOperationException($"this agent is not enrolled: {configPath} does not exist; run 'fleet-agent enroll' first");
        }

        try
        {
            var config = JsonSerializer.Deserialize(File.ReadAllText(configPath), AgentConfigJsonContext.Default.AgentConfig)
                ?? throw new InvalidDataException($"{configPath} is empty");
            var certificatePath = Path.Combine(StateDir, CertificateFile);
            var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath), File.ReadAllText(Path.Combine(StateDir, KeyFile)));
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPem(File.ReadAllText(Path.Combine(StateDir, CaBundleFile)));
            return new AgentIdentity(config, certificate, bundle, new DateTimeOffset(File.GetLastWriteTimeUtc(certificatePath)));
        }
        catch (Exception ex) when (ex is IOException or JsonException or CryptographicException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"the agent identity in {StateDir} cannot be read ({ex.Message}); re-enroll with 'fleet-agent enroll --force'", ex);
        }
    }

    private static void WriteNew(string path, string content)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerOnlyFile,
        });
        stream.Write(Encoding.UTF8.GetBytes(content));
        stream.Flush(flushToDisk: true);
    }
}
