using System.Text.Json;
using Fleet.Cli.Config;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Config;

public sealed class ContextCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    [Fact]
    public async Task Use_KnownContext_SwitchesCurrentAndLaterCallsGoThere()
    {
        _cli.SaveTwoContexts();

        Assert.Equal(0, await _cli.RunAsync("context", "use", "prod"));
        Assert.Equal(0, await _cli.RunAsync("status"));

        Assert.Equal("prod", new ConfigStore(_cli.ConfigPath).Load().CurrentContext);
        Assert.Equal("https://127.0.0.1:8443", Assert.Single(_cli.Factory.Contexts).Controller);
    }

    [Fact]
    public async Task Use_UnknownContext_Exits1AndKeepsCurrent()
    {
        _cli.SaveTwoContexts();

        Assert.Equal(1, await _cli.RunAsync("context", "use", "staging"));

        Assert.Contains("no context named 'staging'", _cli.Error, StringComparison.Ordinal);
        Assert.Equal("dev", new ConfigStore(_cli.ConfigPath).Load().CurrentContext);
    }

    [Fact]
    public async Task GlobalContextOption_OverridesCurrentForOneCommand()
    {
        _cli.SaveTwoContexts();

        Assert.Equal(0, await _cli.RunAsync("agents", "list", "--context", "prod"));

        Assert.Equal("https://127.0.0.1:8443", Assert.Single(_cli.Factory.Contexts).Controller);
        Assert.Equal("dev", new ConfigStore(_cli.ConfigPath).Load().CurrentContext);
    }

    [Fact]
    public async Task List_Table_MarksCurrentAndNeverShowsToken()
    {
        _cli.SaveTwoContexts();

        Assert.Equal(0, await _cli.RunAsync("context", "list"));

        var dev = _cli.Out.Split('\n').Single(l => l.Contains("dev", StringComparison.Ordinal));
        Assert.Contains("*", dev, StringComparison.Ordinal);
        Assert.Contains("https://127.0.0.1:7443", dev, StringComparison.Ordinal);
        Assert.DoesNotContain("fleet_api_", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_DocumentedShapeWithoutToken()
    {
        _cli.SaveTwoContexts();

        Assert.Equal(0, await _cli.RunAsync("context", "list", "--output", "json"));

        using var json = JsonDocument.Parse(_cli.Out);
        Assert.Equal("dev", json.RootElement.GetProperty("currentContext").GetString());
        var first = json.RootElement.GetProperty("contexts")[0];
        Assert.Equal(["name", "controller", "caPin", "current"], first.EnumerateObject().Select(p => p.Name));
        Assert.True(first.GetProperty("current").GetBoolean());
        Assert.DoesNotContain("fleet_api_", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_NoConfig_TellsToRunLogin()
    {
        Assert.Equal(1, await _cli.RunAsync("context", "list"));

        Assert.StartsWith("error: no fleetctl config at", _cli.Error, StringComparison.Ordinal);
        Assert.Contains("run fleetctl login", _cli.Error, StringComparison.Ordinal);
        Assert.Equal("", _cli.Out);
    }

    public void Dispose() => _cli.Dispose();
}
