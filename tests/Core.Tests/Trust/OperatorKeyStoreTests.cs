using System.Security.Cryptography;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OperatorKeyStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "fleet-keys-" + Guid.NewGuid().ToString("N"));
    private readonly OperatorKeyStore _store;

    public OperatorKeyStoreTests() => _store = new OperatorKeyStore(Path.Combine(_folder, "keys"));

    [Fact]
    public void Generate_NewKey_PrivateKeyIs0600InA0700Folder()
    {
        _store.Generate("alice");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_store.Directory, "alice.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_store.Directory));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", File.ReadAllText(Path.Combine(_store.Directory, "alice.pub")), StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_NewKey_KeyIdIsSha256OfSubjectPublicKeyInfo()
    {
        var info = _store.Generate("alice");
        using var key = _store.LoadPrivate("alice");

        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(key.PublicKey.SubjectPublicKeyInfo));
        Assert.Equal(expected, info.KeyId);
        Assert.Equal(expected, key.KeyId);
    }

    [Fact]
    public void LoadPrivate_GeneratedKey_SignsVerifiablyWithPublishedKey()
    {
        var info = _store.Generate("alice");
        using var key = _store.LoadPrivate("alice");

        var signature = key.Sign("data"u8);

        Assert.True(_store.LoadPublic("alice").PublicKey.Verify("data"u8, signature));
        Assert.Equal(info.KeyId, _store.LoadPublic("alice").KeyId);
    }

    [Fact]
    public void Generate_NameInUse_RefusedAndKeyKept()
    {
        var first = _store.Generate("alice");

        var ex = Assert.Throws<InvalidOperationException>(() => _store.Generate("alice"));

        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        Assert.Equal(first.KeyId, _store.LoadPublic("alice").KeyId);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("Alice")]
    [InlineData(".hidden")]
    public void Generate_InvalidName_Refused(string name)
    {
        Assert.Throws<ArgumentException>(() => _store.Generate(name));
        Assert.False(Directory.Exists(_store.Directory) && Directory.EnumerateFileSystemEntries(_store.Directory).Any());
    }

    [Fact]
    public void List_TwoKeys_SortedByNameWithKeyIds()
    {
        var bob = _store.Generate("bob");
        var alice = _store.Generate("alice");

        var keys = _store.List();

        Assert.Equal(["alice", "bob"], keys.Select(k => k.Name));
        Assert.Equal([alice.KeyId, bob.KeyId], keys.Select(k => k.KeyId));
    }

    [Fact]
    public void ImportPublic_OtherOperatorsKey_ListedWithItsKeyId()
    {
        using var bob = OperatorKey.Generate("bob");

        _store.ImportPublic("bob", bob.PublicKey.ToPem());

        Assert.Equal(bob.KeyId, Assert.Single(_store.List()).KeyId);
        Assert.Throws<InvalidOperationException>(() => _store.LoadPrivate("bob"));
    }

    [Fact]
    public void Generate_NameOfImportedPublicKey_RefusedAndImportKept()
    {
        using var bob = OperatorKey.Generate("bob");
        _store.ImportPublic("bob", bob.PublicKey.ToPem());

        Assert.Throws<InvalidOperationException>(() => _store.Generate("bob"));
        Assert.Equal(bob.KeyId, _store.LoadPublic("bob").KeyId);
    }

    [Fact]
    public void List_NoFolder_Empty() => Assert.Empty(_store.List());

    [Fact]
    public void LoadPrivate_GroupReadable_Refused()
    {
        _store.Generate("alice");
        var path = Path.Combine(_store.Directory, "alice.key");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var ex = Assert.Throws<InvalidOperationException>(() => _store.LoadPrivate("alice"));

        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_RsaKey_Refused()
    {
        using var rsa = RSA.Create(2048);

        Assert.Throws<DsseFormatException>(() => OperatorKey.FromPem("x", rsa.ExportPkcs8PrivateKeyPem()));
    }

    [Fact]
    public void FromSubjectPublicKeyInfo_P384Key_Refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<DsseFormatException>(() => OperatorPublicKey.FromSubjectPublicKeyInfo(p384.ExportSubjectPublicKeyInfo()));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
