using Fleet.Cli.Config;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Config;

public sealed class ConfigStoreTests : IDisposable
{
    private readonly CliHarness _cli = new();

    [Fact]
    public void Save_ThenLoad_RoundTripsEveryContext()
    {
        _cli.SaveTwoContexts();

        var config = new ConfigStore(_cli.ConfigPath).Load();

        Assert.Equal("dev", config.CurrentContext);
        Assert.Equal(new ControllerContext("https://127.0.0.1:7443", CliHarness.Pin, CliHarness.Token), config.Contexts["dev"]);
        Assert.Equal(new ControllerContext("https://127.0.0.1:8443", CliHarness.OtherPin, CliHarness.Token), config.Contexts["prod"]);
    }

    [Fact]
    public void Save_NewFolder_FolderIs0700AndFileIs0600()
    {
        _cli.SaveTwoContexts();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_cli.ConfigFolder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.ConfigPath));
    }

    [Fact]
    public void Save_Twice_ReplacesFileAndLeavesNoTemporaryFiles()
    {
        var store = new ConfigStore(_cli.ConfigPath);
        _cli.SaveTwoContexts();
        var config = store.Load();
        config.CurrentContext = "prod";

        store.Save(config);

        Assert.Equal("prod", store.Load().CurrentContext);
        Assert.Equal([_cli.ConfigPath], Directory.GetFiles(_cli.ConfigFolder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.ConfigPath));
    }

    [Fact]
    public void Save_WritesDocumentedCamelCaseShape()
    {
        _cli.SaveTwoContexts();

        var json = File.ReadAllText(_cli.ConfigPath);

        Assert.Contains("\"currentContext\": \"dev\"", json, StringComparison.Ordinal);
        Assert.Contains("\"controller\": \"https://127.0.0.1:7443\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"caPin\": \"{CliHarness.Pin}\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"token\": \"{CliHarness.Token}\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoFile_TellsToRunLogin()
    {
        var ex = Assert.Throws<CliException>(() => new ConfigStore(_cli.ConfigPath).Load());

        Assert.Contains("run fleetctl login", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_cli.ConfigPath, ex.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Error, ex.ExitCode);
    }

    [Fact]
    public void Load_MalformedJson_NamesTheFile()
    {
        Directory.CreateDirectory(_cli.ConfigFolder);
        File.WriteAllText(_cli.ConfigPath, "{ not json");

        var ex = Assert.Throws<CliException>(() => new ConfigStore(_cli.ConfigPath).Load());

        Assert.Contains($"{_cli.ConfigPath} is not a valid fleetctl config", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NamedContext_ReturnsItInsteadOfCurrent()
    {
        _cli.SaveTwoContexts();

        var (name, context) = new ConfigStore(_cli.ConfigPath).Resolve("prod");

        Assert.Equal("prod", name);
        Assert.Equal("https://127.0.0.1:8443", context.Controller);
    }

    [Fact]
    public void Resolve_UnknownContext_ListsKnownOnes()
    {
        _cli.SaveTwoContexts();

        var ex = Assert.Throws<CliException>(() => new ConfigStore(_cli.ConfigPath).Resolve("staging"));

        Assert.Contains("no context named 'staging'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("known: dev, prod", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
