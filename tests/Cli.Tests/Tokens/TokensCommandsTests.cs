using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Cli.Tests.Tokens;

public sealed class TokensCommandsTests : IDisposable
{
    private const string JoinToken = "fleet_join_00112233aabbccdd_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private readonly CliHarness _cli = new();

    public TokensCommandsTests()
    {
        _cli.SaveTwoContexts();
        _cli.Api.CreatedToken = new CreateTokenResponse
        {
            TokenId = "00112233aabbccdd",
            Secret = JoinToken,
            ExpiresAt = Timestamp.FromDateTimeOffset(CliHarness.Now.AddHours(1)),
        };
    }

    [Fact]
    public async Task Create_Table_PrintsTheTokenAlone()
    {
        Assert.Equal(0, await _cli.RunAsync("tokens", "create", "--role", "agent-join"));

        Assert.Equal(JoinToken + Environment.NewLine, _cli.Out);
        Assert.Equal("", _cli.Error);
    }

    [Fact]
    public async Task Create_AllOptions_SentInRequest()
    {
        Assert.Equal(0, await _cli.RunAsync("tokens", "create", "--role", "agent-join", "--ttl", "1h30m", "--uses", "3", "--description", "web pool"));

        var request = Assert.IsType<CreateTokenRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(TokenRole.AgentJoin, request.Role);
        Assert.Equal(5400, request.TtlSeconds);
        Assert.Equal(3, request.MaxUses);
        Assert.Equal("web pool", request.Description);
    }

    [Fact]
    public async Task Create_NoTtlOrUses_SendsZeroForControllerDefaults()
    {
        Assert.Equal(0, await _cli.RunAsync("tokens", "create", "--role", "viewer"));

        var request = Assert.IsType<CreateTokenRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(TokenRole.Viewer, request.Role);
        Assert.Equal(0, request.TtlSeconds);
        Assert.Equal(0, request.MaxUses);
    }

    [Fact]
    public async Task Create_Json_DocumentedShape()
    {
        Assert.Equal(0, await _cli.RunAsync("tokens", "create", "--role", "agent-join", "--output", "json"));

        using var json = JsonDocument.Parse(_cli.Out);
        Assert.Equal(["tokenId", "role", "token", "expiresAt"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("agent-join", json.RootElement.GetProperty("role").GetString());
        Assert.Equal(JoinToken, json.RootElement.GetProperty("token").GetString());
        Assert.Equal("2025-03-01T13:00:00Z", json.RootElement.GetProperty("expiresAt").GetString());
    }

    [Theory]
    [InlineData("--role root", "--role must be one of agent-join, viewer, deployer, admin, got 'root'")]
    [InlineData("--role Admin", "--role must be one of")]
    [InlineData("--ttl 1h", "Option '--role' is required")]
    [InlineData("--role agent-join --ttl 10", "--ttl: '10' is not a duration")]
    [InlineData("--role agent-join --ttl 0s", "must be longer than zero")]
    [InlineData("--role agent-join --uses 0", "--uses must be a whole number of at least 1")]
    [InlineData("--role agent-join --uses many", "--uses must be a whole number of at least 1, got 'many'")]
    [InlineData("--role root --uses 2", "--role must be one of")]
    [InlineData("--role viewer --uses 2", "--uses applies only to --role agent-join")]
    public async Task Create_BadArguments_Exits2AndCallsNothing(string arguments, string message)
    {
        Assert.Equal(2, await _cli.RunAsync(["tokens", "create", .. arguments.Split(' ')]));

        Assert.Contains(message, _cli.Error, StringComparison.Ordinal);
        Assert.Contains("Run 'fleetctl tokens create --help'", _cli.Error, StringComparison.Ordinal);
        Assert.Equal("", _cli.Out);
        Assert.Empty(_cli.Factory.Contexts);
    }

    public void Dispose() => _cli.Dispose();
}
