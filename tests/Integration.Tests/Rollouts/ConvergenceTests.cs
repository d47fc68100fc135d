using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Integration.Tests.Controller;

namespace Fleet.Integration.Tests.Rollouts;

/// <summary>
/// Desired state and unreachable hosts against a real controller and PostgreSQL: hosts that were
/// not there when a release rolled out get it when they connect, and never fail the rollout.
/// </summary>
public sealed class ConvergenceTests
{
    private static readonly StrategySpec All = new() { Type = RolloutStrategyType.All };

    [Fact]
    public async Task Enroll_AfterReleaseSucceeded_NewAgentGetsItAndShowsDone()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 1);
        var rolloutId = (await fleet.SubmitAsync(All, sequence: 1)).Rollout.RolloutId;
        await fleet.Agents[0].SucceedAsync(await fleet.Agents[0].NextAssignmentAsync());
        await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Succeeded, "first rollout succeeded");

        var late = await fleet.AddAgentAsync("web-9");
        var assignment = await late.NextAssignmentAsync();
        Assert.Equal((rolloutId, AssignmentAction.Apply, 1L), (assignment.RolloutId, assignment.Action, assignment.Sequence));
        await fleet.WaitForAsync(rolloutId, r => r.Targets.Any(t => t.AgentName == "web-9" && t.State == TargetState.Applying), "web-9 converging");
        await late.SucceedAsync(assignment);

        var converged = await fleet.WaitForAsync(rolloutId, r => RolloutFixture.StateOf(r, "web-9") == TargetState.Done, "web-9 converged");
        Assert.Equal(RolloutState.Succeeded, converged.State);
        Assert.Equal(1L, await fleet.Controller.Database.ScalarAsync(
            "select sequence from agent_releases r join agents a on a.id = r.agent_id where a.name = 'web-9'"));
    }

    [Fact]
    public async Task AgentStoppedThroughRollout_ListedPendingRolloutSucceedsThenConvergesWhenBack()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 2);
        var stopped = fleet.Agents[1];
        await fleet.StopAsync(stopped);

        var rolloutId = (await fleet.SubmitAsync(All, sequence: 1)).Rollout.RolloutId;
        await fleet.Agents[0].SucceedAsync(await fleet.Agents[0].NextAssignmentAsync());
        var succeeded = await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Succeeded, "rollout succeeded without the stopped host");
        Assert.Equal(TargetState.Pending, RolloutFixture.StateOf(succeeded, "web-2"));

        await using var back = await SimulatedAgent.ConnectAsync(fleet.Controller, stopped.Enrolled);
        var assignment = await back.NextAssignmentAsync();
        Assert.Equal((rolloutId, AssignmentAction.Apply, 1L), (assignment.RolloutId, assignment.Action, assignment.Sequence));
        await back.SucceedAsync(assignment);
        await fleet.WaitForAsync(rolloutId, r => RolloutFixture.StateOf(r, "web-2") == TargetState.Done, "web-2 converged after coming back");
    }

    [Fact]
    public async Task AgentBackDuringLaterRollout_JoinsItInsteadOfTheOlderRelease()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 3);
        var stopped = fleet.Agents[2];
        await fleet.StopAsync(stopped);
        var rolloutId = (await fleet.SubmitAsync(new StrategySpec { Type = RolloutStrategyType.Rolling, MaxParallel = 1 }, sequence: 1)).Rollout.RolloutId;
        var first = await fleet.Agents[0].NextAssignmentAsync();

        await using var back = await SimulatedAgent.ConnectAsync(fleet.Controller, stopped.Enrolled);
        await fleet.Agents[0].SucceedAsync(first);
        await fleet.Agents[1].SucceedAsync(await fleet.Agents[1].NextAssignmentAsync());
        var assignment = await back.NextAssignmentAsync();
        Assert.Equal((rolloutId, AssignmentAction.Apply), (assignment.RolloutId, assignment.Action));
        await back.SucceedAsync(assignment);

        var done = await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Succeeded, "rollout succeeded with the returning host");
        Assert.All(done.Targets, t => Assert.Equal(TargetState.Done, t.State));
    }

    [Fact]
    public async Task RequireAll_OneHostUnreachable_RolloutFailsAndTouchesNothing()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 2);
        await fleet.StopAsync(fleet.Agents[1]);

        var submitted = await fleet.SubmitAsync(All with { RequireAll = true }, sequence: 1);

        var failed = await fleet.WaitForAsync(submitted.Rollout.RolloutId, r => r.State == RolloutState.Failed, "rollout failed at start");
        Assert.Equal("1 of 2 hosts are not connected (web-2); the strategy allows 0 (require_all)", failed.Reason);
        Assert.All(failed.Targets, t => Assert.Equal(TargetState.Untouched, t.State));
        Assert.False(fleet.Agents[0].HasPendingAssignment);
    }

    [Fact]
    public async Task MaxUnavailable_OneHostUnreachableOfTwoAllowed_RolloutRuns()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 3);
        await fleet.StopAsync(fleet.Agents[2]);

        var submitted = await fleet.SubmitAsync(All with { MaxUnavailable = 1 }, sequence: 1);

        Assert.Equal(RolloutState.Running, submitted.Rollout.State);
        Assert.Equal(AssignmentAction.Apply, (await fleet.Agents[0].NextAssignmentAsync()).Action);
    }
}
