using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Tests.Agents;

public sealed class AgentsCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public AgentsCommandsTests() => _cli.SaveTwoContexts();

    [Fact]
    public async Task List_Selector_SentToControllerAsLabelSelector()
    {
        Assert.Equal(0, await _cli.RunAsync("agents", "list", "--selector", "env=staging,role=web", "-l", "zone=a"));

        var request = Assert.IsType<ListAgentsRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(3, request.LabelSelector.Count);
        Assert.Equal("staging", request.LabelSelector["env"]);
        Assert.Equal("a", request.LabelSelector["zone"]);
        Assert.Equal(CliHarness.Token, _cli.Factory.Contexts.Single().Token);
    }

    [Fact]
    public async Task List_Json_WrapsAgentsInObject()
    {
        _cli.Api.Agents = new ListAgentsResponse { Agents = { Samples.ConnectedAgent(), Samples.PendingAgent() } };

        Assert.Equal(0, await _cli.RunAsync("agents", "list", "--output", "json"));

        using var json = JsonDocument.Parse(_cli.Out);
        Assert.Equal(["db-1", "web-1"], json.RootElement.GetProperty("agents").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal("", _cli.Error);
    }

    [Fact]
    public async Task List_NoAgents_SaysSo()
    {
        Assert.Equal(0, await _cli.RunAsync("agents", "list"));

        Assert.Equal("No agents enrolled yet.", _cli.Out.Trim());
    }

    [Theory]
    [InlineData("env")]
    [InlineData("env=a,env=b")]
    [InlineData("=x")]
    public async Task List_BadSelector_Exits2AndCallsNothing(string selector)
    {
        Assert.Equal(2, await _cli.RunAsync("agents", "list", "--selector", selector));

        Assert.Contains("--selector:", _cli.Error, StringComparison.Ordinal);
        Assert.Equal("", _cli.Out);
        Assert.Empty(_cli.Factory.Contexts);
    }

    [Fact]
    public async Task Show_Name_AsksForThatAgent()
    {
        _cli.Api.Agent = new GetAgentResponse { Agent = Samples.ConnectedAgent() };

        Assert.Equal(0, await _cli.RunAsync("agents", "show", "web-1"));

        Assert.Equal("web-1", Assert.IsType<GetAgentRequest>(Assert.Single(_cli.Api.Requests)).Name);
        Assert.Contains("web-1.example.internal", _cli.Out, StringComparison.Ordinal);
        Assert.True(_cli.Api.Disposed);
    }

    [Theory]
    [InlineData("show", "Web_1")]
    [InlineData("revoke", "-web")]
    [InlineData("revoke", "../etc")]
    public async Task ShowOrRevoke_BadName_Exits2AndCallsNothing(string verb, string name)
    {
        Assert.Equal(2, await _cli.RunAsync("agents", verb, name));

        Assert.Contains($"'{name}' is not an agent name", _cli.Error, StringComparison.Ordinal);
        Assert.Equal("", _cli.Out);
        Assert.Empty(_cli.Factory.Contexts);
    }

    [Fact]
    public async Task Revoke_Name_RevokesAndConfirms()
    {
        var revoked = Samples.ConnectedAgent();
        revoked.State = AgentState.Revoked;
        _cli.Api.Revoked = new RevokeAgentResponse { Agent = revoked };

        Assert.Equal(0, await _cli.RunAsync("agents", "revoke", "web-1"));

        Assert.Equal("web-1", Assert.IsType<RevokeAgentRequest>(Assert.Single(_cli.Api.Requests)).Name);
        Assert.Equal("Agent web-1 revoked; it can no longer connect.", _cli.Out.Trim());
    }

    [Fact]
    public async Task Revoke_ControllerRefuses_Exits1WithItsMessage()
    {
        _cli.Api.Failure = new CliException("this needs the admin role; the token has viewer");

        Assert.Equal(1, await _cli.RunAsync("agents", "revoke", "web-1"));

        Assert.Equal("error: this needs the admin role; the token has viewer", _cli.Error.Trim());
        Assert.Equal("", _cli.Out);
    }

    public void Dispose() => _cli.Dispose();
}
