using Fleet.Agent.Deploy;

namespace Fleet.Integration.Tests.Deploy;

public sealed class PreDeployHookTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApplyAsync_HookSucceeds_SwapsAndRemovesHookContainer()
    {
        await using var h = new DeployHarness();
        var events = new EventLog();
        var hook = new HookSpec("migrate", ["sh", "-c", "echo migrating; exit 0"], TimeSpan.FromSeconds(10));

        var result = await h.Engine.ApplyAsync(
            h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"), hooks: [hook])), events, Ct);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Contains(events.Events, e => e.Step == SwapStep.HookRunning && e.Detail == "migrate");
        var steps = events.Events.Select(e => e.Step).ToList();
        Assert.True(steps.IndexOf(SwapStep.HookRunning) < steps.IndexOf(SwapStep.Starting));
        var container = Assert.Single(await h.ContainersAsync());
        Assert.False(container.Labels.ContainsKey(SlotContainers.HookLabel));
    }

    [Theory]
    [InlineData("echo migration failed: table locked; exit 7", 30, "pre-deploy hook migrate exited with code 7", "migration failed: table locked")]
    [InlineData("echo migrating forever; sleep 60", 1, "pre-deploy hook migrate timed out after 1 s", "migrating forever")]
    public async Task ApplyAsync_HookFails_NothingStartedAndOldKeepsServing(
        string script, int timeoutSeconds, string reason, string logLine)
    {
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);
        var v1 = h.Journal.Get(h.App, "web")!.Applied!;
        var events = new EventLog();
        var hook = new HookSpec("migrate", ["sh", "-c", script], TimeSpan.FromSeconds(timeoutSeconds));

        var result = await h.Engine.ApplyAsync(
            h.Release(2, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"), hooks: [hook])), events, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal(reason, result.Reason);
        Assert.Contains(logLine, result.LogTail, StringComparison.Ordinal);
        Assert.False(events.Saw(SwapStep.Starting));
        Assert.Equal("v1", await h.GetAsync(v1.Endpoint, "/version"));
        Assert.True(SlotContainers.Holds(Assert.Single(await h.ContainersAsync()), v1));
        Assert.Null(h.Journal.Get(h.App, "web")!.Pending);
    }
}
