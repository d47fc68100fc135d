using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Identity;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Identity;

public sealed class IdentityStoreTests
{
    private static readonly string[] IdentityFileNames =
        [IdentityStore.KeyFile, IdentityStore.CertificateFile, IdentityStore.CaBundleFile, IdentityStore.ConfigFile];

    [Fact]
    public void Create_NewStateDir_WritesAllFilesOwnerOnly()
    {
        using var dir = new TempDir();
        var store = new IdentityStore(dir.Combine("state"));

        store.Create(Config(), Files(), overwrite: false);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.StateDir));
        foreach (var name in IdentityFileNames)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(store.StateDir, name)));
        }

        Assert.Equal(IdentityFileNames.Order(), Directory.GetFileSystemEntries(store.StateDir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Create_ExistingEmptyStateDir_MovesFilesInAndLeavesNoStagingFolder()
    {
        using var dir = new TempDir();
        var store = new IdentityStore(dir.Path);

        store.Create(Config(), Files(), overwrite: false);

        Assert.Equal(IdentityFileNames.Order(), Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Create_IdentityExistsWithoutOverwrite_ThrowsAndLeavesFilesUntouched()
    {
        using var dir = new TempDir();
        var store = new IdentityStore(dir.Path);
        store.Create(Config(), Files(), overwrite: false);
        var before = File.ReadAllText(dir.Combine(IdentityStore.ConfigFile));

        var error = Assert.Throws<InvalidOperationException>(() => store.Create(Config("other"), Files(), overwrite: false));

        Assert.Contains("--force", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(dir.Combine(IdentityStore.ConfigFile)));
    }

    [Fact]
    public void Create_IdentityExistsWithOverwrite_ReplacesIt()
    {
        using var dir = new TempDir();
        var store = new IdentityStore(dir.Path);
        store.Create(Config("first"), Files(), overwrite: false);

        store.Create(Config("second"), Files(), overwrite: true);

        Assert.Equal("second", store.Load().Config.Name);
    }

    [Fact]
    public void Load_AfterCreate_ReturnsConfigCertificateWithKeyAndBundle()
    {
        using var dir = new TempDir();
        var store = new IdentityStore(dir.Path);
        var files = Files();
        store.Create(Config(), files, overwrite: false);

        var identity = store.Load();

        Assert.Equal("web-1", identity.Config.Name);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "staging" }, identity.Config.Labels);
        Assert.Equal(["sha256:" + new string('a', 64)], identity.Config.CaPins);
        Assert.True(identity.Certificate.HasPrivateKey);
        Assert.Single(identity.CaBundle);
    }

    [Fact]
    public void Load_NotEnrolled_ThrowsSayingToEnroll()
    {
        using var dir = new TempDir();

        var error = Assert.Throws<InvalidOperationException>(() => new IdentityStore(dir.Path).Load());

        Assert.Contains("fleet-agent enroll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplaceCertificate_Renewed_ReplacesKeyAndCertificateOwnerOnly()
    {
        using var dir = new TempDir();
        var store = new IdentityStore(dir.Path);
        store.Create(Config(), Files(), overwrite: false);
        var renewed = Files();

        store.ReplaceCertificate(renewed);

        Assert.Equal(renewed.KeyPem, File.ReadAllText(dir.Combine(IdentityStore.KeyFile)));
        Assert.Equal(renewed.CertificatePem, File.ReadAllText(dir.Combine(IdentityStore.CertificateFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.Combine(IdentityStore.KeyFile)));
        Assert.Equal(IdentityFileNames.Order(), Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }

    internal static AgentConfig Config(string name = "web-1") => new(
        new Uri("https://127.0.0.1:7443"),
        ["sha256:" + new string('a', 64)],
        "0b9f6d1e-0000-4000-8000-000000000001",
        name,
        new Dictionary<string, string> { ["env"] = "staging" });

    private static IdentityFiles Files()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        using var certificate = new CertificateRequest("CN=web-1", key, HashAlgorithmName.SHA256).CreateSelfSigned(now, now.AddDays(1));
        return new IdentityFiles(key.ExportPkcs8PrivateKeyPem(), certificate.ExportCertificatePem(), certificate.ExportCertificatePem());
    }
}
