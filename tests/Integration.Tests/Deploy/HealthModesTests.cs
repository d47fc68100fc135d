using Fleet.Agent.Deploy;

namespace Fleet.Integration.Tests.Deploy;

public sealed class HealthModesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LivenessMonitor_FailsAfterTheWatchWindow_ContainerRestartedAndCounted()
    {
        await using var h = new DeployHarness();
        var liveness = DeployHarness.HttpCheck() with { Retries = 2 };
        var web = DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_FLAKY")) with
        {
            Env = new Dictionary<string, string> { ["UNHEALTHY_AFTER"] = "3" },
            Liveness = liveness,
            LivenessDelay = TimeSpan.FromSeconds(1),
        };
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, web), null, Ct)).Succeeded);
        var id = Assert.Single(await h.ContainersAsync()).Id;
        var firstStart = (await h.Docker.Containers.InspectContainerAsync(id, Ct)).State.StartedAt;
        var monitor = h.NewLivenessMonitor();

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (monitor.Statuses.All(s => s.Restarts == 0) && DateTimeOffset.UtcNow < deadline)
        {
            await monitor.CheckOnceAsync(Ct);
            await Task.Delay(100, Ct);
        }

        var status = Assert.Single(monitor.Statuses);
        Assert.Equal((h.App, "web", 1L), (status.App, status.Service, status.Release));
        Assert.True(status.Restarts >= 1, "the liveness monitor never restarted the container");
        Assert.Contains("GET /health returned 404", status.LastFailure, StringComparison.Ordinal);
        var after = await h.Docker.Containers.InspectContainerAsync(id, Ct);
        Assert.True(after.State.Running);
        Assert.NotEqual(firstStart, after.State.StartedAt);
    }

    [Fact]
    public async Task LivenessMonitor_InsideTheWatchWindow_NotProbed()
    {
        await using var h = new DeployHarness();
        var web = DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD")) with
        {
            Liveness = DeployHarness.HttpCheck() with { Path = "/missing", Retries = 1 },
            LivenessDelay = TimeSpan.FromMinutes(10),
        };
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, web), null, Ct)).Succeeded);
        var monitor = h.NewLivenessMonitor();

        for (var i = 0; i < 3; i++)
        {
            await monitor.CheckOnceAsync(Ct);
        }

        Assert.Empty(monitor.Statuses);
        Assert.Equal(0, (await h.Docker.Containers.InspectContainerAsync(Assert.Single(await h.ContainersAsync()).Id, Ct)).RestartCount);
    }

    [Fact]
    public async Task ApplyAsync_RunningCheck_HealthyOnlyAfterItsStartPeriodAndAnExitingContainerFails()
    {
        await using var h = new DeployHarness();
        var running = new HealthCheckSpec(HealthCheckKind.Running, Interval: TimeSpan.FromMilliseconds(200), StartPeriod: TimeSpan.FromSeconds(2));
        var started = DateTimeOffset.UtcNow;

        var good = await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD")) with { Health = running }), null, Ct);
        var exits = await h.Engine.ApplyAsync(
            h.Release(2, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_EXITS")) with { Health = running, Restart = RestartPolicy.Never }), null, Ct);

        Assert.True(good.Succeeded, good.Reason);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(2));
        Assert.False(exits.Succeeded);
        Assert.Contains("container exited with code", exits.Reason, StringComparison.Ordinal);
        Assert.Equal(1, h.Journal.Get(h.App, "web")!.Applied!.Release);
    }

    [Fact]
    public async Task ApplyAsync_HookWithItsOwnImageAndEnvironment_RunsThatImageWithOnlyThatEnvironment()
    {
        await using var h = new DeployHarness();
        var hook = new HookSpec(
            "seed", ["sh", "-c", "echo image=$(cat /www/version) greeting=$GREETING service=$FROM_SERVICE; exit 3"], TimeSpan.FromSeconds(30),
            Image: DeployHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"), Env: new Dictionary<string, string> { ["GREETING"] = "hello" });
        var web = DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"), hooks: [hook]) with
        {
            Env = new Dictionary<string, string> { ["FROM_SERVICE"] = "leaked" },
        };

        var result = await h.Engine.ApplyAsync(h.Release(1, web), null, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal("pre-deploy hook seed exited with code 3", result.Reason);
        Assert.Contains("image=v2 greeting=hello service=\n", result.LogTail, StringComparison.Ordinal);
        Assert.Empty(await h.ContainersAsync());
    }
}
