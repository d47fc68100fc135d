using System.Text.Json;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Keys;

public sealed class KeysCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Generate_NewName_PrivateKey0600InKeysFolder()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "alice", "--output", "json"));

        var keyPath = Path.Combine(_cli.ConfigFolder, "keys", "alice.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));
        using var json = JsonDocument.Parse(_cli.Out);
        Assert.Equal("alice", json.RootElement.GetProperty("name").GetString());
        Assert.StartsWith("sha256:", json.RootElement.GetProperty("keyId").GetString(), StringComparison.Ordinal);
        Assert.True(json.RootElement.GetProperty("canSign").GetBoolean());
    }

    [Fact]
    public async Task Generate_ExistingName_RefusedKeyUnchanged()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "alice"));
        var keyPath = Path.Combine(_cli.ConfigFolder, "keys", "alice.key");
        var before = await File.ReadAllTextAsync(keyPath, TestContext.Current.CancellationToken);

        Assert.Equal(1, await _cli.RunAsync("keys", "generate", "--name", "alice"));

        Assert.Contains("already exists", _cli.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(keyPath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Generate_InvalidName_UsageError()
    {
        Assert.Equal(2, await _cli.RunAsync("keys", "generate", "--name", "../evil"));

        Assert.Contains("invalid key name", _cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_GeneratedAndImported_BothListedImportedCannotSign()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "generate", "--name", "alice"));
        var bobPem = Fleet.Core.Trust.OperatorKey.Generate("bob");
        var bobPath = _cli.TempPath("bob.pub");
        await File.WriteAllTextAsync(bobPath, bobPem.PublicKey.ToPem(), TestContext.Current.CancellationToken);
        Assert.Equal(0, await _cli.RunAsync("keys", "import", "--name", "bob", bobPath));

        Assert.Equal(0, await _cli.RunAsync("keys", "list", "--output", "json"));

        using var json = JsonDocument.Parse(_cli.Out);
        var keys = json.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(["alice", "bob"], keys.Select(k => k.GetProperty("name").GetString()));
        Assert.Equal([true, false], keys.Select(k => k.GetProperty("canSign").GetBoolean()));
        Assert.Equal(bobPem.KeyId, keys[1].GetProperty("keyId").GetString());
        bobPem.Dispose();
    }

    [Fact]
    public async Task List_NoKeys_Hint()
    {
        Assert.Equal(0, await _cli.RunAsync("keys", "list"));

        Assert.Contains("fleetctl keys generate", _cli.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
