using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Cli.Tests.Events;

public sealed class EventsCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public EventsCommandTests() => _cli.SaveTwoContexts();

    [Fact]
    public async Task Events_SinceAndApp_SendsInstantAnHourAgoAndApp()
    {
        Assert.Equal(0, await _cli.RunAsync("events", "--since", "1h", "--app", "shop"));

        var request = Assert.IsType<ListEventsRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal((CliHarness.Now.AddHours(-1), "shop", 100), (request.Since.ToDateTimeOffset(), request.App, request.Limit));
    }

    [Fact]
    public async Task Events_Json_NamesTokenAppEnvironmentAndSigners()
    {
        var submitted = new AuditEvent
        {
            Id = 7, At = Timestamp.FromDateTimeOffset(CliHarness.Now), Action = "release.submit", TokenId = "0123456789abcdef",
            TokenDescription = "ci", Subject = "shop/staging#3", App = "shop", Environment = "staging", Detail = "release r1",
        };
        submitted.Signers.Add("alice");
        _cli.Api.Events = new ListEventsResponse { Events = { submitted } };

        Assert.Equal(0, await _cli.RunAsync("events", "--output", "json"));

        var only = Assert.Single(JsonDocument.Parse(_cli.Out).RootElement.GetProperty("events").EnumerateArray());
        Assert.Equal(
            ("release.submit", "0123456789abcdef", "ci", "shop", "staging", "alice"),
            (only.GetProperty("action").GetString(), only.GetProperty("tokenId").GetString(), only.GetProperty("tokenDescription").GetString(),
             only.GetProperty("app").GetString(), only.GetProperty("environment").GetString(), only.GetProperty("signers")[0].GetString()));
    }

    [Theory]
    [InlineData("--since", "yesterday")]
    [InlineData("--limit", "0")]
    public async Task Events_BadOption_UsageErrorNothingSent(string option, string value)
    {
        Assert.Equal(2, await _cli.RunAsync("events", option, value));

        Assert.Empty(_cli.Api.Requests);
        Assert.Contains(option, _cli.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
