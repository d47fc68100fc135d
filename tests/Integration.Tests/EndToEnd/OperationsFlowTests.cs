using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.EndToEnd;

/// <summary>
/// Issue 19 end to end: what operators see of a failed rollout, through a real Prometheus scraping
/// the real controller.
/// </summary>
public sealed class OperationsFlowTests(EndToEndFixture fleet) : IClassFixture<EndToEndFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deploy_GoodThenUnhealthy_PrometheusReadsDeploymentsTotalFailedOne()
    {
        await using var prometheus = await PrometheusProcess.StartAsync([fleet.ControllerMetrics], Cancellation);
        var agent = await fleet.StartAgentAsync("ops", ReleaseFlowTests.Group("ops"));
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
    }

    private static Task<(Dictionary<string, string> Labels, double Value)> WaitForAsync(PrometheusProcess prometheus, string query, double value) =>
        Eventually.ReturnsAsync(
            async () => (await prometheus.QueryAsync(query, Cancellation)).SingleOrDefault(),
            series => series.Labels is not null && series.Value == value,
            TimeSpan.FromSeconds(30),
            $"Prometheus to answer {value} to {query}");
}
