using System.Globalization;
using Fleet.Agent.Deploy;

namespace Fleet.Integration.Tests.EndToEnd;

/// <summary>
/// Issue 3 end to end: fleetctl signs and deploys, the real controller drives the rollout, real
/// fleet-agent processes swap busybox containers on the real Docker engine.
/// </summary>
public sealed class ReleaseFlowTests(EndToEndFixture fleet) : IClassFixture<EndToEndFixture>
{
    private const string Rolling = "type: rolling, max_parallel: 1";

    [Fact]
    public async Task Deploy_V1ThenV2ThenUnhealthyV3_V3FailsAndRemovedWhileV2KeepsServing()
    {
        var agent = await fleet.StartAgentAsync("solo", Group("solo"));
        const string app = "shop";

        var v1 = await fleet.DeployAsync(fleet.ReleaseFile(app, "solo", "FLEET_TEST_IMAGE_GOOD"));
        Assert.True(v1.ExitCode == 0, v1.ToString());
        Assert.Equal("v1", await fleet.VersionAsync(agent, app));
        var v2 = await fleet.DeployAsync(fleet.ReleaseFile(app, "solo", "FLEET_TEST_IMAGE_GOOD_V2"));
        Assert.True(v2.ExitCode == 0, v2.ToString());
        var endpoint = EndToEndFixture.Journal(agent, app)!.Applied!.Endpoint;
        Assert.Equal("v2", await fleet.VersionAsync(endpoint));

        using var stop = new CancellationTokenSource();
        var answers = PollVersionsAsync(endpoint, stop.Token);
        var v3 = await fleet.DeployAsync(fleet.ReleaseFile(app, "solo", "FLEET_TEST_IMAGE_BAD"));
        await stop.CancelAsync();
        var served = await answers;
        var rollout = await fleet.RolloutAsync(app);
        var status = await fleet.Operator.JsonAsync("status");

        Assert.Equal(1, v3.ExitCode);
        Assert.NotEmpty(served);
        Assert.All(served, answer => Assert.Equal("v2", answer));
        Assert.Equal(("failed", 3L), (rollout.GetProperty("state").GetString(), rollout.GetProperty("sequence").GetInt64()));
        var target = Assert.Single(rollout.GetProperty("targets").EnumerateArray());
        Assert.Equal((agent.Name, "failed"), (target.GetProperty("agent").GetString(), target.GetProperty("state").GetString()));
        Assert.Contains("not healthy", target.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("bad image: no health endpoint", target.GetProperty("logTail").GetString(), StringComparison.Ordinal);
        Assert.Equal("v2", await fleet.VersionAsync(agent, app));
        Assert.Equal(("2", true), Release(Assert.Single(await fleet.ContainersAsync(agent, app))));
        Assert.Null(EndToEndFixture.Journal(agent, app)!.Pending);
        var listed = Assert.Single(status.GetProperty("agents").EnumerateArray(), a => a.GetProperty("name").GetString() == agent.Name);
        Assert.Equal("connected", listed.GetProperty("state").GetString());
        var runs = Assert.Single(listed.GetProperty("releases").EnumerateArray().ToList());
        Assert.Equal((app, 2L), (runs.GetProperty("app").GetString(), runs.GetProperty("sequence").GetInt64()));
    }

    [Fact]
    public async Task Rollback_AfterV2_PreviousImagesServeAgainAsANewSequence()
    {
        var agent = await fleet.StartAgentAsync("back", Group("back"));
        const string app = "blog";
        Assert.Equal(0, (await fleet.DeployAsync(fleet.ReleaseFile(app, "back", "FLEET_TEST_IMAGE_GOOD"))).ExitCode);
        Assert.Equal(0, (await fleet.DeployAsync(fleet.ReleaseFile(app, "back", "FLEET_TEST_IMAGE_GOOD_V2"))).ExitCode);
        Assert.Equal("v2", await fleet.VersionAsync(agent, app));

        var rollback = await fleet.Operator.RunAsync("rollback", app, "--env", "staging", "--key", "alice", "--watch");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal("v1", await fleet.VersionAsync(agent, app));
        var journal = EndToEndFixture.Journal(agent, app)!;
        Assert.Equal((3L, 2L), (journal.Applied!.Release, journal.Previous!.Release));
        Assert.Equal(("3", true), Release(Assert.Single(await fleet.ContainersAsync(agent, app))));
        var rollout = await fleet.RolloutAsync(app);
        Assert.Equal(("succeeded", 3L), (rollout.GetProperty("state").GetString(), rollout.GetProperty("sequence").GetInt64()));
    }

    [Fact]
    public async Task Deploy_RollingOverThreeHostsSecondFails_HaltsAndFirstReturnsToV1AndThirdUntouched()
    {
        var hosts = new List<AgentProcess>();
        foreach (var name in new[] { "roll-1", "roll-2", "roll-3" })
        {
            hosts.Add(await fleet.StartAgentAsync(name, Group("roll")));
        }

        const string app = "api";
        var v1 = await fleet.DeployAsync(fleet.ReleaseFile(app, "roll", "FLEET_TEST_IMAGE_GOOD", Rolling));
        Assert.True(v1.ExitCode == 0, v1.ToString());
        var before = new List<ContainerSummary>();
        foreach (var host in hosts)
        {
            Assert.Equal("v1", await fleet.VersionAsync(host, app));
            before.Add(Assert.Single(await fleet.ContainersAsync(host, app)));
        }

        // The second host's disk "fills up": restarted with a free-space floor no disk meets.
        await hosts[1].KillAsync();
        hosts[1].Start(new Dictionary<string, string> { ["Deploy__MinFreeDiskBytes"] = long.MaxValue.ToString(CultureInfo.InvariantCulture) });
        await fleet.WaitConnectedAsync(hosts[1]);

        var v2 = await fleet.DeployAsync(fleet.ReleaseFile(app, "roll", "FLEET_TEST_IMAGE_GOOD_V2", Rolling));
        var rollout = await fleet.RolloutAsync(app);

        Assert.Equal(1, v2.ExitCode);
        Assert.Equal("failed", rollout.GetProperty("state").GetString());
        var targets = rollout.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("agent").GetString()!);
        Assert.Equal(
            ["reverted", "failed", "untouched"],
            hosts.Select(h => targets[h.Name].GetProperty("state").GetString()));
        Assert.Contains("not enough disk space", targets[hosts[1].Name].GetProperty("detail").GetString(), StringComparison.Ordinal);
        for (var i = 0; i < hosts.Count; i++)
        {
            Assert.Equal("v1", await fleet.VersionAsync(hosts[i], app));
            var container = Assert.Single(await fleet.ContainersAsync(hosts[i], app));
            Assert.Equal(("1", true), Release(container));
            // The failed and the untouched host kept their v1 container: neither restarted nor replaced.
            Assert.True(i == 0 || container.Id == before[i].Id, $"{hosts[i].Name}: container replaced");
        }
    }

    internal static Dictionary<string, string> Group(string group) => new() { ["group"] = group };

    internal static (string Release, bool Running) Release(ContainerSummary container) =>
        (container.Labels[SlotContainers.ReleaseLabel], container.Running);

    // Every answer of GET /version on the endpoint until stopped; a failed request is recorded as its error.
    private async Task<List<string>> PollVersionsAsync(string endpoint, CancellationToken stop)
    {
        var answers = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                answers.Add(await fleet.VersionAsync(endpoint));
            }
            catch (HttpRequestException ex)
            {
                answers.Add($"request failed: {ex.Message}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return answers;
    }
}
