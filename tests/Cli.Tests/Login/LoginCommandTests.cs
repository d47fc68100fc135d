using Fleet.Cli.Config;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Tests.Login;

public sealed class LoginCommandTests : IDisposable
{
    private const string Controller = "https://127.0.0.1:7443";

    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Login_TokenAccepted_SavesContextAsCurrentIn0600File()
    {
        _cli.Api.WhoAmI = new WhoAmIResponse { TokenId = "0123456789abcdef", Role = TokenRole.Viewer };

        var code = await _cli.RunAsync("login", "--controller", Controller + "/some/path", "--ca-pin", CliHarness.Pin.ToUpperInvariant().Replace("SHA256:", "sha256:", StringComparison.Ordinal), "--token", CliHarness.Token, "--context", "dev");

        Assert.Equal(0, code);
        var config = new ConfigStore(_cli.ConfigPath).Load();
        Assert.Equal("dev", config.CurrentContext);
        Assert.Equal(new ControllerContext(Controller, CliHarness.Pin, CliHarness.Token), config.Contexts["dev"]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_cli.ConfigPath));
        Assert.IsType<WhoAmIRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(config.Contexts["dev"], Assert.Single(_cli.Factory.Contexts));
        Assert.Contains("with token 0123456789abcdef (viewer)", _cli.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(CliHarness.Token, _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_TokenFile_ReadsAndTrimsIt()
    {
        var file = _cli.TempPath("admin.token");
        await File.WriteAllTextAsync(file, CliHarness.Token + "\n", TestContext.Current.CancellationToken);

        Assert.Equal(0, await _cli.RunAsync("login", "--controller", Controller, "--ca-pin", CliHarness.Pin, "--token-file", file));

        var config = new ConfigStore(_cli.ConfigPath).Load();
        Assert.Equal("default", config.CurrentContext);
        Assert.Equal(CliHarness.Token, config.Contexts["default"].Token);
    }

    [Fact]
    public async Task Login_SecondContext_KeepsTheFirst()
    {
        _cli.SaveTwoContexts();

        Assert.Equal(0, await _cli.RunAsync("login", "--controller", "https://127.0.0.1:9443", "--ca-pin", CliHarness.Pin, "--token", CliHarness.Token, "--context", "staging"));

        var config = new ConfigStore(_cli.ConfigPath).Load();
        Assert.Equal("staging", config.CurrentContext);
        Assert.Equal(["dev", "prod", "staging"], config.Contexts.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Login_TokenRefused_Exits1AndSavesNothing()
    {
        _cli.Api.Failure = new CliException("the controller refused the token: missing or invalid API token; run fleetctl login");

        Assert.Equal(1, await _cli.RunAsync("login", "--controller", Controller, "--ca-pin", CliHarness.Pin, "--token", CliHarness.Token));

        Assert.Equal("error: the controller refused the token: missing or invalid API token; run fleetctl login", _cli.Error.Trim());
        Assert.False(File.Exists(_cli.ConfigPath));
        Assert.False(Directory.Exists(_cli.ConfigFolder));
    }

    [Theory]
    [InlineData("--controller http://127.0.0.1:7443 --ca-pin PIN --token TOKEN", "--controller must be an https URL")]
    [InlineData("--controller 127.0.0.1:7443 --ca-pin PIN --token TOKEN", "--controller must be an https URL")]
    [InlineData("--controller https://127.0.0.1:7443 --ca-pin sha1:abcd --token TOKEN", "a CA pin must look like 'sha256:<64 hex digits>'")]
    [InlineData("--controller https://127.0.0.1:7443 --ca-pin sha256:abcd --token TOKEN", "must have 64 hex digits")]
    [InlineData("--controller https://127.0.0.1:7443 --ca-pin PIN", "give exactly one of --token or --token-file")]
    [InlineData("--controller https://127.0.0.1:7443 --ca-pin PIN --token TOKEN --token-file x", "give exactly one of --token or --token-file")]
    [InlineData("--ca-pin PIN --token TOKEN", "Option '--controller' is required")]
    [InlineData("--controller https://127.0.0.1:7443 --ca-pin PIN --token TOKEN --context ../x", "'../x' is not a context name")]
    [InlineData("--controller https://127.0.0.1:7443 --ca-pin PIN --token fleet_join_00112233aabbccdd_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "the token is not an API token")]
    [InlineData("--controller https://127.0.0.1:7443 --ca-pin PIN --token secret", "the token is not an API token")]
    public async Task Login_BadArguments_Exits2AndWritesNothing(string arguments, string message)
    {
        var args = arguments.Replace("PIN", CliHarness.Pin, StringComparison.Ordinal).Replace("TOKEN", CliHarness.Token, StringComparison.Ordinal).Split(' ');

        Assert.Equal(2, await _cli.RunAsync(["login", .. args]));

        Assert.Contains(message, _cli.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", _cli.Error, StringComparison.Ordinal);
        Assert.Equal("", _cli.Out);
        Assert.Empty(_cli.Factory.Contexts);
        Assert.False(Directory.Exists(_cli.ConfigFolder));
    }

    [Fact]
    public async Task Login_MissingTokenFile_Exits1NamingTheFile()
    {
        var file = _cli.TempPath("missing.token");

        Assert.Equal(1, await _cli.RunAsync("login", "--controller", Controller, "--ca-pin", CliHarness.Pin, "--token-file", file));

        Assert.Contains($"cannot read the token file {file}", _cli.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_cli.ConfigFolder));
    }

    public void Dispose() => _cli.Dispose();
}
