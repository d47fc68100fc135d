using Fleet.Agent.Deploy;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.EndToEnd;

/// <summary>
/// A real fleet-agent process SIGKILLed in the middle of a swap that the controller asked for, then
/// started again: it converges to exactly one healthy slot with a consistent journal, and the
/// container that was healthy (or becoming healthy) is neither restarted nor replaced.
/// </summary>
public sealed class AgentKillTests(EndToEndFixture fleet) : IClassFixture<EndToEndFixture>
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Kill_WhileNewSlotIsHealthChecking_RestartFinishesTheSwapWithoutRestartingIt()
    {
        var agent = await fleet.StartAgentAsync("kill-check", ReleaseFlowTests.Group("kill-check"));
        const string app = "slow";
        await DeployV1Async(app, "kill-check");
        var old = Assert.Single(await fleet.ContainersAsync(agent, app));

        // v2 needs SLOW_SECONDS before it answers: the swap sits in its health check meanwhile.
        var slow = fleet.ReleaseFile(app, "kill-check", "FLEET_TEST_IMAGE_SLOW", environment: "SLOW_SECONDS: \"8\"", startPeriod: "30s");
        var submitted = await fleet.DeployAsync(slow, watch: false);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var fresh = await Eventually.ReturnsAsync(
            async () => (await fleet.ContainersAsync(agent, app)).FirstOrDefault(c => c.Id != old.Id && c.Running),
            c => c is not null, Converge, "the new slot's container to run");
        var started = (await fleet.InspectAsync(fresh!.Id))!.StartedAt;
        await agent.KillAsync();
        var interrupted = EndToEndFixture.Journal(agent, app)!;
        var servedMeanwhile = await fleet.VersionAsync(agent, app);

        agent.Start();
        var journal = await ConvergedAsync(agent, app);

        Assert.Equal((2L, 1L), (interrupted.Pending?.Release, interrupted.Applied?.Release));
        Assert.Equal("v1", servedMeanwhile);
        Assert.Equal((2L, 1L), (journal.Applied!.Release, journal.Previous!.Release));
        var kept = Assert.Single(await fleet.ContainersAsync(agent, app));
        Assert.Equal((fresh.Id, true), (kept.Id, kept.Running));
        Assert.Equal(started, (await fleet.InspectAsync(kept.Id))!.StartedAt);
        Assert.Equal("v5", await fleet.VersionAsync(agent, app));
    }

    [Fact]
    public async Task Kill_WhileDrainingTheOldSlot_RestartRemovesItAndKeepsTheNewOneRunning()
    {
        var agent = await fleet.StartAgentAsync("kill-drain", ReleaseFlowTests.Group("kill-drain"), drainDelay: TimeSpan.FromMinutes(5));
        const string app = "drain";
        await DeployV1Async(app, "kill-drain");
        var old = Assert.Single(await fleet.ContainersAsync(agent, app));

        var submitted = await fleet.DeployAsync(fleet.ReleaseFile(app, "kill-drain", "FLEET_TEST_IMAGE_GOOD_V2"), watch: false);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        // Switched (the journal names v2 as applied) while the old container drains for minutes.
        await Eventually.UntilAsync(
            () => Task.FromResult(EndToEndFixture.Journal(agent, app)?.Applied?.Release == 2), Converge, "the switch to release 2");
        var fresh = Assert.Single(await fleet.ContainersAsync(agent, app), c => c.Id != old.Id);
        var started = (await fleet.InspectAsync(fresh.Id))!.StartedAt;
        await agent.KillAsync();
        var oldAfterKill = await fleet.InspectAsync(old.Id);

        agent.Start();
        var journal = await ConvergedAsync(agent, app);

        Assert.True(oldAfterKill?.Running, "the old container was still draining when the agent was killed");
        Assert.Equal((2L, 1L), (journal.Applied!.Release, journal.Previous!.Release));
        var kept = Assert.Single(await fleet.ContainersAsync(agent, app));
        Assert.Equal((fresh.Id, true), (kept.Id, kept.Running));
        Assert.Equal(started, (await fleet.InspectAsync(kept.Id))!.StartedAt);
        Assert.Equal("v2", await fleet.VersionAsync(agent, app));
    }

    private async Task DeployV1Async(string app, string group)
    {
        var v1 = await fleet.DeployAsync(fleet.ReleaseFile(app, group, "FLEET_TEST_IMAGE_GOOD"));
        Assert.True(v1.ExitCode == 0, v1.ToString());
    }

    // After the restart: nothing pending, one container of the app left, and the rollout reported done.
    private async Task<ServiceJournal> ConvergedAsync(AgentProcess agent, string app)
    {
        await Eventually.UntilAsync(
            async () => EndToEndFixture.Journal(agent, app) is { Pending: null } && (await fleet.ContainersAsync(agent, app)).Count == 1,
            Converge, $"{agent.Name} to converge after its restart");
        var rollout = await Eventually.ReturnsAsync(
            () => fleet.RolloutAsync(app), r => r.GetProperty("state").GetString() != "running", Converge, "the rollout to end");
        Assert.True(rollout.GetProperty("state").GetString() == "succeeded", $"{rollout}\n{agent.Output}");
        return EndToEndFixture.Journal(agent, app)!;
    }
}
