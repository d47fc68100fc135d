using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Tests.Webhooks;

public sealed class WebhooksCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public WebhooksCommandsTests() => _cli.SaveTwoContexts();

    [Fact]
    public async Task Add_SlackWithEvents_SentAndNoSecretPrinted()
    {
        _cli.Api.WebhookAdded = new AddWebhookResponse { Webhook = new Webhook { Name = "ops", UrlOrigin = "https://hooks.example.com", Format = WebhookFormat.Slack } };

        Assert.Equal(0, await _cli.RunAsync("webhooks", "add", "ops", "--url", "https://hooks.example.com/T/B/secret", "--format", "slack", "--event", "rollout.failed"));

        var request = Assert.IsType<AddWebhookRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(("ops", WebhookFormat.Slack, "rollout.failed"), (request.Name, request.Format, Assert.Single(request.Events)));
        Assert.Equal("webhook ops added (slack to https://hooks.example.com)" + Environment.NewLine, _cli.Out);
    }

    [Fact]
    public async Task Add_JsonFormatOutputJson_SecretShownOnce()
    {
        _cli.Api.WebhookAdded = new AddWebhookResponse { Webhook = new Webhook { Name = "pager", Format = WebhookFormat.Json }, Secret = "s3cr3t" };

        Assert.Equal(0, await _cli.RunAsync("webhooks", "add", "pager", "--url", "https://example.com/hook", "--output", "json"));

        var request = Assert.IsType<AddWebhookRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(WebhookFormat.Json, request.Format);
        Assert.Equal("s3cr3t", JsonDocument.Parse(_cli.Out).RootElement.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Add_UnknownFormat_UsageErrorNothingSent()
    {
        Assert.Equal(2, await _cli.RunAsync("webhooks", "add", "ops", "--url", "https://example.com", "--format", "teams"));

        Assert.Empty(_cli.Api.Requests);
    }

    [Fact]
    public async Task Test_ReceiverRefused_ExitOneWithTheReason()
    {
        _cli.Api.WebhookTested = new TestWebhookResponse { Delivered = false, HttpStatus = 503, Error = "the receiver answered 503 Service Unavailable" };

        Assert.Equal(1, await _cli.RunAsync("webhooks", "test", "ops"));

        Assert.Contains("webhook ops: the receiver answered 503", _cli.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_WebhookProblem_ShownAsAProblemLine()
    {
        _cli.Api.FleetStatus = new GetFleetStatusResponse { WebhookProblems = { new WebhookProblem { Name = "ops", Retrying = 2, LastError = "no answer within 10 s" } } };

        Assert.Equal(0, await _cli.RunAsync("status"));

        Assert.Contains("problem: webhook ops: 2 retrying, 0 given up; last error: no answer within 10 s", _cli.Out, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
