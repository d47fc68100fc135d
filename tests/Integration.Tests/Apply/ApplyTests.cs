using Fleet.Contracts.V1;

namespace Fleet.Integration.Tests.Apply;

public sealed class ApplyTests
{
    [Fact]
    public async Task HandleAsync_V1ThenV2_BothAppliedAndHealthyAndV2Serves()
    {
        await using var h = new ApplyHarness();
        var v1 = h.Manifest(1, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD"));
        var v2 = h.Manifest(2, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"));

        var first = await h.HandleAsync(h.Apply(v1, h.Sign(v1, "carol")));
        Assert.Equal("v1", await h.VersionAsync());
        var second = await h.HandleAsync(h.Apply(v2, h.Sign(v2, "alice")));

        AssertOutcome(first, AgentEventKind.Applied, AgentEventKind.Healthy);
        AssertOutcome(second, AgentEventKind.Applied, AgentEventKind.Healthy);
        Assert.Contains(second, e => e.Kind == AgentEventKind.Progress && e.Step == "pulling");
        Assert.Contains(second, e => e.Kind == AgentEventKind.Progress && e.Step == "switching");
        Assert.All(second, e => Assert.Equal((h.App, 2L, "r-2"), (e.App, e.ReleaseSequence, e.RolloutId)));
        Assert.Equal(2, h.Applied()!.Release);
        Assert.Equal("v2", await h.VersionAsync());
        Assert.Single(await h.ContainersAsync());
    }

    [Fact]
    public async Task HandleAsync_ReleaseTurnsUnhealthyInsideMinHealthyTime_RevertedToThePreviousRelease()
    {
        await using var h = new ApplyHarness();
        var v1 = h.Manifest(1, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD"));
        var flaky = h.Manifest(2, ApplyHarness.Image("FLEET_TEST_IMAGE_FLAKY"), env: new Dictionary<string, string> { ["UNHEALTHY_AFTER"] = "2" });
        await h.HandleAsync(h.Apply(v1, h.Sign(v1, "alice")));

        var events = await h.HandleAsync(h.Apply(flaky, h.Sign(flaky, "alice"), minHealthySeconds: 30));

        AssertOutcome(events, AgentEventKind.Applied, AgentEventKind.Unhealthy, AgentEventKind.Reverted);
        var unhealthy = Assert.Single(events, e => e.Kind == AgentEventKind.Unhealthy);
        Assert.Contains("turned unhealthy after its switch", unhealthy.Detail, StringComparison.Ordinal);
        Assert.Contains("now unhealthy", unhealthy.LogTail, StringComparison.Ordinal);
        Assert.Equal(1, h.Applied()!.Release);
        Assert.Equal("v1", await h.VersionAsync());
        Assert.Single(await h.ContainersAsync());
    }

    [Fact]
    public async Task HandleAsync_FirstReleaseTurnsUnhealthy_RemovedAndItsSequenceNeverAdmittedAgain()
    {
        await using var h = new ApplyHarness();
        var flaky = h.Manifest(1, ApplyHarness.Image("FLEET_TEST_IMAGE_FLAKY"), env: new Dictionary<string, string> { ["UNHEALTHY_AFTER"] = "2" });
        var assignment = h.Apply(flaky, h.Sign(flaky, "alice"), minHealthySeconds: 30);

        var replayed = assignment.Clone();
        replayed.RolloutId = "r-replay";

        var events = await h.HandleAsync(assignment);
        var replay = await h.HandleAsync(replayed);

        AssertOutcome(events, AgentEventKind.Applied, AgentEventKind.Unhealthy, AgentEventKind.Reverted);
        Assert.Contains("now unhealthy", events.Single(e => e.Kind == AgentEventKind.Unhealthy).LogTail, StringComparison.Ordinal);
        Assert.Contains("nothing earlier to return to", events[^1].Detail, StringComparison.Ordinal);
        Assert.Empty(await h.ContainersAsync());
        var entry = h.Journal.Get(h.App, "web")!;
        Assert.Equal((null, 1L), (entry.Applied?.Release, entry.Previous?.Release));
        AssertOutcome(replay, AgentEventKind.Refused);
        Assert.Equal("SequenceNotNewer", replay[0].Step);
    }

    [Fact]
    public async Task HandleAsync_RevertFirstReleaseToNothing_ContainerRemovedAndReverted()
    {
        await using var h = new ApplyHarness();
        var v1 = h.Manifest(1, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD"));
        await h.HandleAsync(h.Apply(v1, h.Sign(v1, "alice")));
        Assert.Single(await h.ContainersAsync());

        var events = await h.HandleAsync(new ReleaseAssignment
        {
            RolloutId = "r-1", App = h.App, Sequence = 1, Action = AssignmentAction.Revert, RevertToSequence = 0,
        });

        AssertOutcome(events, AgentEventKind.Reverted);
        Assert.Empty(await h.ContainersAsync());
        Assert.Null(h.Applied());
    }

    [Fact]
    public async Task HandleAsync_ReleaseNeverHealthy_FailedWithLogTailAndV1KeepsServing()
    {
        await using var h = new ApplyHarness();
        var v1 = h.Manifest(1, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD"));
        var bad = h.Manifest(2, ApplyHarness.Image("FLEET_TEST_IMAGE_BAD"));
        await h.HandleAsync(h.Apply(v1, h.Sign(v1, "alice")));

        var events = await h.HandleAsync(h.Apply(bad, h.Sign(bad, "alice")));

        AssertOutcome(events, AgentEventKind.Failed);
        var failed = events[^1];
        Assert.Contains("not healthy", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("bad image: no health endpoint", failed.LogTail, StringComparison.Ordinal);
        Assert.Equal(1, h.Applied()!.Release);
        Assert.Equal("v1", await h.VersionAsync());
        Assert.Single(await h.ContainersAsync());
    }

    [Fact]
    public async Task HandleAsync_SecondServiceFailsAfterFirstSwitched_FirstReturnedToV1()
    {
        await using var h = new ApplyHarness();
        var good = ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD");
        var v1 = h.Manifest(1, good, apiImage: good);
        var v2 = h.Manifest(2, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"), apiImage: ApplyHarness.Image("FLEET_TEST_IMAGE_BAD"));
        await h.HandleAsync(h.Apply(v1, h.Sign(v1, "alice")));

        var events = await h.HandleAsync(h.Apply(v2, h.Sign(v2, "alice")));

        AssertOutcome(events, AgentEventKind.Failed, AgentEventKind.Reverted);
        Assert.Equal("api", events.First(e => e.Kind == AgentEventKind.Failed).Step);
        Assert.Equal((1L, 1L), (h.Applied("web")!.Release, h.Applied("api")!.Release));
        Assert.Equal(("v1", "v1"), (await h.VersionAsync("web"), await h.VersionAsync("api")));
        Assert.Single(await h.ContainersAsync("web"));
        Assert.Single(await h.ContainersAsync("api"));
    }

    [Fact]
    public async Task HandleAsync_RevertAfterV2_ReturnsToV1()
    {
        await using var h = new ApplyHarness();
        var v1 = h.Manifest(1, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD"));
        var v2 = h.Manifest(2, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"));
        await h.HandleAsync(h.Apply(v1, h.Sign(v1, "alice")));
        await h.HandleAsync(h.Apply(v2, h.Sign(v2, "alice")));

        var events = await h.HandleAsync(new ReleaseAssignment
        {
            RolloutId = "r-2", App = h.App, Sequence = 2, Action = AssignmentAction.Revert, RevertToSequence = 1,
        });

        AssertOutcome(events, AgentEventKind.Reverted);
        Assert.Equal(1, h.Applied()!.Release);
        Assert.Equal("v1", await h.VersionAsync());
    }

    [Fact]
    public async Task HandleAsync_SameAssignmentAgain_ReReportsWithoutSwapping()
    {
        await using var h = new ApplyHarness();
        var v1 = h.Manifest(1, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD"));
        var assignment = h.Apply(v1, h.Sign(v1, "alice"));
        await h.HandleAsync(assignment);
        var container = Assert.Single(await h.ContainersAsync());

        var again = await h.HandleAsync(assignment);

        AssertOutcome(again, AgentEventKind.Applied, AgentEventKind.Healthy);
        Assert.DoesNotContain(again, e => e.Kind == AgentEventKind.Progress);
        Assert.Equal(container.Id, Assert.Single(await h.ContainersAsync()).Id);
    }

    /// <summary>The non-progress events, in order, are exactly <paramref name="kinds"/>.</summary>
    private static void AssertOutcome(IReadOnlyList<AgentEvent> events, params AgentEventKind[] kinds) =>
        Assert.Equal(kinds, events.Where(e => e.Kind != AgentEventKind.Progress).Select(e => e.Kind));
}
