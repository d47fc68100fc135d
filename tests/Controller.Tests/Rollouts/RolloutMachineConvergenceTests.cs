using Fleet.Contracts.V1;
using Fleet.Controller.Rollouts;
using Fleet.Core.Releases;

namespace Fleet.Controller.Tests.Rollouts;

/// <summary>The state machine's rules for hosts that are not connected, late hosts, reverts that come late, and waits that expire.</summary>
public sealed class RolloutMachineConvergenceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly StrategySpec RollingOne = new() { Type = RolloutStrategyType.Rolling, MaxParallel = 1 };
    private readonly PlannedTarget _one = new(Guid.NewGuid(), "web-1", 0);
    private readonly PlannedTarget _two = new(Guid.NewGuid(), "web-2", 1);
    private readonly (Guid Id, string Name) _down = (Guid.NewGuid(), "web-3");

    [Fact]
    public void Start_OneHostDisconnected_RunsWithItPendingAfterTheLastWave()
    {
        var decision = RolloutMachine.Start(RollingOne, [_one, _two], [_down]);

        Assert.Equal((RolloutState.Running, ""), (decision.State, decision.Reason));
        Assert.Equal([("web-1", 0, TargetState.Applying), ("web-2", 1, TargetState.Waiting), ("web-3", 2, TargetState.Pending)],
            decision.Targets.Select(t => (t.Target.Name, t.Target.Wave, t.State)));
    }

    [Fact]
    public void Start_RequireAllOneHostDisconnected_FailsTouchingNothing()
    {
        var decision = RolloutMachine.Start(RollingOne with { RequireAll = true }, [_one, _two], [_down]);

        Assert.Equal(RolloutState.Failed, decision.State);
        Assert.Equal("1 of 3 hosts are not connected (web-3); the strategy allows 0 (require_all)", decision.Reason);
        Assert.All(decision.Targets, t => Assert.Equal(TargetState.Untouched, t.State));
    }

    [Fact]
    public void Start_MaxUnavailableOne_OneDisconnectedRunsTwoFail()
    {
        var strategy = RollingOne with { MaxUnavailable = 1 };

        Assert.Equal(RolloutState.Running, RolloutMachine.Start(strategy, [_one], [_down]).State);
        var failed = RolloutMachine.Start(strategy, [_one], [_down, (Guid.NewGuid(), "web-4")]);
        Assert.Equal("2 of 3 hosts are not connected (web-3, web-4); the strategy allows 1 (max_unavailable)", failed.Reason);
    }

    [Fact]
    public void Step_ConnectedHostsDonePendingLeft_SucceededPendingKept()
    {
        var rollout = Rolling(Target(_one, TargetState.Done), Target(_two, TargetState.Pending));

        var result = RolloutMachine.Step(rollout, Start);

        Assert.Equal((RolloutState.Succeeded, "1 host(s) pending: they get the release when they connect"), (result.NewState!.Value, result.Reason));
        Assert.Empty(result.Changes);
        Assert.Equal(new Dictionary<TargetState, TargetState> { [TargetState.Waiting] = TargetState.Untouched }, RolloutMachine.EndMoves(RolloutState.Succeeded));
        Assert.Equal(TargetState.Untouched, RolloutMachine.EndMoves(RolloutState.Failed)[TargetState.Pending]);
    }

    [Fact]
    public void Step_PendingInAnEarlierWaveThanTheCurrent_DoesNotHoldUpTheNext()
    {
        var three = new PlannedTarget(Guid.NewGuid(), "web-3", 2);
        var rollout = Rolling(Target(_one, TargetState.Pending), Target(_two, TargetState.Done), Target(three, TargetState.Waiting));

        var change = Assert.Single(RolloutMachine.Step(rollout, Start).Changes);

        Assert.Equal((three.AgentId, TargetState.Applying), (change.AgentId, change.State));
    }

    [Fact]
    public void Step_PendingHostConnectedSince_TakenInItsWave()
    {
        var rollout = Rolling(Target(_one, TargetState.Done), Target(_two, TargetState.Pending) with { Connected = true });

        var result = RolloutMachine.Step(rollout, Start);

        Assert.Null(result.NewState);
        Assert.Equal([TargetState.Waiting, TargetState.Applying], result.Changes.Where(c => c.AgentId == _two.AgentId).Select(c => c.State));
        Assert.Equal(TargetState.Applying, RolloutMachine.After(rollout, result, Start).Targets[1].State);
    }

    [Fact]
    public void Step_AwaitingPromotionPastTheLimit_ExpiredCanaryRevertedRestUntouched()
    {
        var rollout = Rolling(Target(_one, TargetState.Done), Target(_two, TargetState.Waiting)) with
        {
            State = RolloutState.AwaitingPromotion,
            Wait = new RolloutWait(Start, TimeSpan.FromMinutes(10), Start + TimeSpan.FromHours(1)),
        };

        Assert.Equal(Start + TimeSpan.FromMinutes(10), RolloutMachine.NextDeadline(rollout));
        Assert.True(RolloutMachine.Step(rollout, Start + TimeSpan.FromMinutes(9)).IsEmpty);
        var result = RolloutMachine.Step(rollout, Start + TimeSpan.FromMinutes(10));

        Assert.Equal((RolloutState.Expired, "not promoted within 10m (--max-rollout-wait)"), (result.NewState!.Value, result.Reason));
        Assert.Equal([(_one.AgentId, TargetState.Reverting), (_two.AgentId, TargetState.Untouched)], result.Changes.Select(c => (c.AgentId, c.State)));
    }

    [Fact]
    public void Step_AwaitingApprovalReleaseExpiresFirst_ExpiredWithTheReleasesReason()
    {
        var rollout = Rolling() with { State = RolloutState.AwaitingApproval, Wait = new RolloutWait(Start, TimeSpan.FromDays(7), Start + TimeSpan.FromHours(1)) };

        var result = RolloutMachine.Step(rollout, Start + TimeSpan.FromHours(1));

        Assert.Equal(RolloutState.Expired, result.NewState);
        Assert.Equal("the release expired at 2026-01-01T01:00:00.0000000+00:00 before it was approved", result.Reason);
    }

    [Fact]
    public void Step_SucceededWithAConvergingHostSilent_HostFailedRolloutStays()
    {
        var rollout = Rolling(Target(_one, TargetState.Done), Target(_two, TargetState.Applying)) with { State = RolloutState.Succeeded };

        var result = RolloutMachine.Step(rollout, Start + Deadline + TimeSpan.FromSeconds(1));

        Assert.Null(result.NewState);
        Assert.Equal((_two.AgentId, TargetState.Failed), (Assert.Single(result.Changes).AgentId, result.Changes[0].State));
        Assert.True(RolloutMachine.SendsApply(RolloutState.Succeeded));
        Assert.False(RolloutMachine.SendsApply(RolloutState.Failed));
    }

    [Fact]
    public void EventMove_FailedHostReportsItsSwapLate_RevertedUnlessItsRolloutSucceeded()
    {
        Assert.Equal(TargetState.Reverting, RolloutMachine.EventMove(AgentEventKind.Healthy, TargetState.Failed, rolloutSucceeded: false));
        Assert.Equal(TargetState.Reverting, RolloutMachine.EventMove(AgentEventKind.Applied, TargetState.Failed, rolloutSucceeded: false));
        Assert.Equal(TargetState.Done, RolloutMachine.EventMove(AgentEventKind.Healthy, TargetState.Failed, rolloutSucceeded: true));
        Assert.Null(RolloutMachine.EventMove(AgentEventKind.Healthy, TargetState.Untouched, rolloutSucceeded: false));
        Assert.Null(RolloutMachine.EventMove(AgentEventKind.Refused, TargetState.Done, rolloutSucceeded: true));
    }

    [Fact]
    public void EventMoves_EveryKind_AtMostOneMovePerStateAndOutcome()
    {
        foreach (var kind in Enum.GetValues<AgentEventKind>())
        {
            var moves = RolloutMachine.EventMoves(kind);
            Assert.Equal(moves.Count, moves.DistinctBy(m => (m.From, m.RolloutSucceeded)).Count());
        }

        Assert.Contains(new TargetMove(TargetState.Reverting, TargetState.Reverted, false), RolloutMachine.EventMoves(AgentEventKind.Reverted));
    }

    private static TargetSnapshot Target(PlannedTarget target, TargetState state) => new(target.AgentId, target.Name, target.Wave, state, Start);

    private static RolloutSnapshot Rolling(params TargetSnapshot[] targets) =>
        new("ro-1", RolloutState.Running, "rolling", false, false, Deadline, targets);
}
