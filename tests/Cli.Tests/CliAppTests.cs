using System.Text.Json;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests;

public sealed class CliAppTests : IDisposable
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Run_NoCommand_Exits2WithHint()
    {
        Assert.Equal(2, await _cli.RunAsync());

        Assert.Contains("Run 'fleetctl --help' for usage.", _cli.Error, StringComparison.Ordinal);
        Assert.Equal("", _cli.Out);
    }

    [Fact]
    public async Task Run_UnknownCommand_Exits2AndNamesIt()
    {
        Assert.Equal(2, await _cli.RunAsync("deploy-everything"));

        Assert.Contains("'deploy-everything'", _cli.Error, StringComparison.Ordinal);
        Assert.Equal("", _cli.Out);
    }

    [Fact]
    public async Task Run_Help_Exits0AndListsCommands()
    {
        Assert.Equal(0, await _cli.RunAsync("--help"));

        foreach (var command in new[] { "login", "tokens", "agents", "status", "context", "version" })
        {
            Assert.Contains(command, _cli.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Version_TableAndJson_SameVersion()
    {
        Assert.Equal(0, await _cli.RunAsync("version"));
        var text = _cli.Out.Trim();
        Assert.Equal(0, await _cli.RunAsync("version", "--output", "json"));

        using var json = JsonDocument.Parse(_cli.Out);
        Assert.Equal(text, "fleetctl " + json.RootElement.GetProperty("version").GetString());
        Assert.StartsWith("fleetctl 0.1.0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoConfig_TellsToRunLoginAndExits1()
    {
        Assert.Equal(1, await _cli.RunAsync("status"));

        Assert.Equal($"error: no fleetctl config at {_cli.ConfigPath}: run fleetctl login --controller URL --ca-pin PIN --token-file FILE", _cli.Error.Trim());
        Assert.Equal("", _cli.Out);
    }

    [Fact]
    public async Task Run_UnexpectedFailure_OneLineNoStackTrace()
    {
        _cli.SaveTwoContexts();
        _cli.Api.Failure = new InvalidOperationException("something broke");

        Assert.Equal(1, await _cli.RunAsync("status"));

        Assert.Equal("error: something broke" + Environment.NewLine, _cli.Error);
    }

    public void Dispose() => _cli.Dispose();
}
