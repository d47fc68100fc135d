using System.Security.Cryptography;
using System.Text;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.EndToEnd;

/// <summary>
/// Issue 19 end to end: what operators see of a failed rollout (a real Prometheus scraping the real
/// controller, a webhook received by a local HTTP server, the audit log), and webhook deliveries
/// that survive a receiver outage and a controller killed mid-retry.
/// </summary>
public sealed class OperationsFlowTests(EndToEndFixture fleet) : IClassFixture<EndToEndFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deploy_GoodThenUnhealthy_PrometheusCountsFailedWebhookSignedAndAuditNamesToken()
    {
        var agentMetrics = $"127.0.0.1:{LoopbackPort.Free()}";
        await using var prometheus = await PrometheusProcess.StartAsync([fleet.ControllerMetrics, agentMetrics], Cancellation);
        using var receiver = new WebhookReceiver();
        var added = await fleet.Operator.JsonAsync("webhooks", "add", "ops-json", "--url", receiver.Url, "--event", "rollout.failed", "--event", "rollout.started");
        var secret = added.GetProperty("secret").GetString()!;
        var agent = await fleet.StartAgentAsync("ops", ReleaseFlowTests.Group("ops"), metricsListen: agentMetrics);
        const string app = "metered";
        var good = await fleet.DeployAsync(fleet.ReleaseFile(app, "ops", "FLEET_TEST_IMAGE_GOOD"));
        Assert.True(good.ExitCode == 0, good.ToString());
        // The failed series exists at 0 before the failure, so increase() (what DeploymentFailed uses) sees the step.
        await WaitForAsync(prometheus, $"deployments_total{{app=\"{app}\",status=\"failed\"}}", 0);

        var bad = await fleet.DeployAsync(fleet.ReleaseFile(app, "ops", "FLEET_TEST_IMAGE_BAD"));

        Assert.Equal(1, bad.ExitCode);
        var failed = await WaitForAsync(prometheus, $"deployments_total{{app=\"{app}\",status=\"failed\"}}", 1);
        Assert.Equal(("staging", "fleet"), (failed.Labels["environment"], failed.Labels["job"]));
        var byStatus = (await prometheus.QueryAsync($"deployments_total{{app=\"{app}\"}}", Cancellation))
            .ToDictionary(s => s.Labels["status"], s => s.Value);
        Assert.Equal(new Dictionary<string, double> { ["succeeded"] = 1, ["failed"] = 1, ["rolled_back"] = 0, ["aborted"] = 0 }, byStatus);
        var increase = Assert.Single(await prometheus.QueryAsync($"increase(deployments_total{{app=\"{app}\",status=\"failed\"}}[5m])", Cancellation));
        Assert.True(increase.Value > 0, $"increase {increase.Value}");
        await WaitForAsync(prometheus, $"fleet_rollout_duration_seconds_count{{app=\"{app}\",status=\"failed\"}}", 1);
        var connected = Assert.Single(await prometheus.QueryAsync("fleet_agents{state=\"connected\"}", Cancellation));
        Assert.True(connected.Value >= 1, $"connected agents {connected.Value}");
        var lag = Assert.Single(await prometheus.QueryAsync($"fleet_agent_heartbeat_lag_seconds{{agent=\"{agent.Name}\"}}", Cancellation));
        Assert.InRange(lag.Value, 0, 10);
        var agentUp = await WaitForAsync(prometheus, $"fleet_agent_connected{{instance=\"{agentMetrics}\"}}", 1);
        Assert.Equal("fleet", agentUp.Labels["job"]);

        var hook = await Eventually.ReturnsAsync(
            () => Task.FromResult(receiver.Received.FirstOrDefault(r => r.Event == "rollout.failed")),
            r => r is not null, TimeSpan.FromSeconds(30), "the rollout.failed webhook");
        Assert.Equal($"sha256={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), hook!.Body))}", hook.Signature);
        Assert.Equal((app, "staging", "failed"), (hook.Json.GetProperty("app").GetString(), hook.Json.GetProperty("environment").GetString(), hook.Json.GetProperty("status").GetString()));
        Assert.Contains("not healthy", hook.Json.GetProperty("summary").GetString(), StringComparison.Ordinal);
        // Subscribed to failed and started only: the two starts and the failure, no success.
        Assert.Equal(["rollout.started", "rollout.started", "rollout.failed"], receiver.Received.Select(r => r.Event));

        var events = await fleet.Operator.JsonAsync("events", "--app", app, "--since", "1h");
        var submits = events.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("action").GetString() == "release.submit").ToList();
        Assert.Equal(2, submits.Count);
        var who = (await fleet.Operator.JsonAsync("tokens", "list")).GetProperty("tokens").EnumerateArray()
            .Single(t => t.GetProperty("role").GetString() == "admin").GetProperty("tokenId").GetString();
        Assert.All(submits, e => Assert.Equal((who, app, "staging"), (e.GetProperty("tokenId").GetString(), e.GetProperty("app").GetString(), e.GetProperty("environment").GetString())));
        Assert.Equal(["alice"], submits[0].GetProperty("signers").EnumerateArray().Select(s => s.GetString()));
        await fleet.Operator.OkAsync("webhooks", "rm", "ops-json");
    }

    [Fact]
    public async Task Webhook_ReceiverDownThenControllerKilled_DeliveredOnceBackAndFailuresShownMeanwhile()
    {
        using var receiver = new WebhookReceiver { Status = 503 };
        var hooks = await fleet.Operator.RunAsync("webhooks", "add", "ops-slack", "--url", receiver.Url, "--format", "slack", "--event", "rollout.succeeded");
        Assert.True(hooks.ExitCode == 0, hooks.ToString());
        // No agent carries this group: the rollout succeeds at once with no host to change.
        var deployed = await fleet.DeployAsync(fleet.ReleaseFile("nohosts", "nobody", "FLEET_TEST_IMAGE_GOOD"), watch: false);
        Assert.True(deployed.ExitCode == 0, deployed.ToString());

        var status = await Eventually.ReturnsAsync(
            () => fleet.Operator.JsonAsync("status"),
            s => s.GetProperty("webhookProblems").EnumerateArray().Any(p => p.GetProperty("name").GetString() == "ops-slack"),
            TimeSpan.FromSeconds(30), "fleetctl status to show the failing webhook");
        var problem = Assert.Single(status.GetProperty("webhookProblems").EnumerateArray(), p => p.GetProperty("name").GetString() == "ops-slack");
        Assert.Contains("503", problem.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        await fleet.Controller.KillAsync();
        receiver.Status = 200;
        await fleet.Controller.StartAsync(Cancellation);

        var hook = await Eventually.ReturnsAsync(
            () => Task.FromResult(receiver.Received.SingleOrDefault()), r => r is not null, TimeSpan.FromSeconds(60), "the delivery after the restart");
        Assert.StartsWith("[fleet] nohosts/staging #", hook!.Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("", hook.Signature);
        Assert.True(receiver.Refused >= 1, $"refused {receiver.Refused}");
        var listed = Assert.Single((await fleet.Operator.JsonAsync("webhooks", "list")).GetProperty("webhooks").EnumerateArray(),
            w => w.GetProperty("name").GetString() == "ops-slack");
        Assert.Equal((1L, 0L), (listed.GetProperty("delivered").GetInt64(), listed.GetProperty("retrying").GetInt64()));
        Assert.Null(listed.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Webhooks_BadUrlUnknownEventDuplicateOrRevokedToken_RefusedAndNothingAdded()
    {
        using var receiver = new WebhookReceiver();
        var badUrl = await fleet.Operator.RunAsync("webhooks", "add", "bad", "--url", "ftp://127.0.0.1/x");
        var badEvent = await fleet.Operator.RunAsync("webhooks", "add", "bad", "--url", receiver.Url, "--event", "rollout.exploded");
        Assert.Equal(0, (await fleet.Operator.RunAsync("webhooks", "add", "twice", "--url", receiver.Url)).ExitCode);
        var duplicate = await fleet.Operator.RunAsync("webhooks", "add", "twice", "--url", receiver.Url);
        var tested = await fleet.Operator.RunAsync("webhooks", "test", "twice");

        Assert.Equal(1, badUrl.ExitCode);
        Assert.Contains("http:// or https://", badUrl.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, badEvent.ExitCode);
        Assert.Contains("unknown event kind rollout.exploded", badEvent.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("exists", duplicate.Stderr, StringComparison.Ordinal);
        Assert.True(tested.ExitCode == 0, tested.ToString());
        Assert.Equal("webhook.test", Assert.Single(receiver.Received).Event);
        var names = (await fleet.Operator.JsonAsync("webhooks", "list")).GetProperty("webhooks").EnumerateArray()
            .Select(w => w.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("bad", names);

        // A revoked viewer token is refused from its next call on; revoking is audited.
        var viewer = (await fleet.Operator.OkAsync("tokens", "create", "--role", "viewer", "--description", "dashboard")).Trim();
        var viewerId = (await fleet.Operator.JsonAsync("tokens", "list")).GetProperty("tokens").EnumerateArray()
            .First(t => t.GetProperty("description").GetString() == "dashboard").GetProperty("tokenId").GetString()!;
        var viewerCli = await fleet.OperatorWithTokenAsync(viewer);
        var self = await fleet.Operator.RunAsync("tokens", "revoke", (await fleet.Operator.JsonAsync("tokens", "list"))
            .GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("role").GetString() == "admin").GetProperty("tokenId").GetString()!);
        Assert.Equal(0, (await viewerCli.RunAsync("status")).ExitCode);
        Assert.Equal("revoked", (await fleet.Operator.JsonAsync("tokens", "revoke", viewerId)).GetProperty("state").GetString());
        var refused = await viewerCli.RunAsync("status");

        Assert.Equal(1, self.ExitCode);
        Assert.Contains("cannot revoke itself", self.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("invalid API token", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await fleet.Operator.RunAsync("webhooks", "rm", "twice")).ExitCode);
        var actions = (await fleet.Operator.JsonAsync("events")).GetProperty("events").EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("subject").GetString())).ToList();
        Assert.Contains(("token.create", $"token {viewerId}"), actions);
        Assert.Contains(("token.revoke", $"token {viewerId}"), actions);
        Assert.Contains(("webhook.remove", "webhook twice"), actions);
    }

    private static Task<(Dictionary<string, string> Labels, double Value)> WaitForAsync(PrometheusProcess prometheus, string query, double value) =>
        Eventually.ReturnsAsync(
            async () => (await prometheus.QueryAsync(query, Cancellation)).SingleOrDefault(),
            series => series.Labels is not null && series.Value == value,
            TimeSpan.FromSeconds(30),
            $"Prometheus to answer {value} to {query}");
}
