using Fleet.Contracts.V1;
using Fleet.Controller.Rollouts;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Rollouts;

public sealed class RolloutMachineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly TargetSnapshot _one = Target("web-1", 0);
    private readonly TargetSnapshot _two = Target("web-2", 1);
    private readonly TargetSnapshot _three = Target("web-3", 2);

    [Fact]
    public void Step_RollingFirstStep_StartsOnlyWaveZero()
    {
        var result = RolloutMachine.Step(Rolling(_one, _two, _three), _time.GetUtcNow());

        var change = Assert.Single(result.Changes);
        Assert.Equal((_one.AgentId, TargetState.Applying), (change.AgentId, change.State));
        Assert.Null(result.NewState);
    }

    [Fact]
    public void Step_FirstWaveDone_StartsSecond()
    {
        var result = RolloutMachine.Step(Rolling(_one with { State = TargetState.Done }, _two, _three), _time.GetUtcNow());

        Assert.Equal([_two.AgentId], result.Changes.Select(c => c.AgentId));
    }

    [Fact]
    public void Step_SecondFailed_HaltsRevertsFirstLeavesThirdUntouched()
    {
        var result = RolloutMachine.Step(Rolling(
            _one with { State = TargetState.Done }, _two with { State = TargetState.Failed, Detail = "health check failed" }, _three), _time.GetUtcNow());

        Assert.Equal(RolloutState.Failed, result.NewState);
        Assert.Equal("web-2 failed: health check failed", result.Reason);
        Assert.Contains(new TargetChange(_one.AgentId, TargetState.Reverting, ""), result.Changes);
        Assert.Contains(new TargetChange(_three.AgentId, TargetState.Untouched, ""), result.Changes);
        Assert.DoesNotContain(result.Changes, c => c.AgentId == _two.AgentId);
    }

    [Fact]
    public void Step_RevertedItselfBeforeAStep_FailsRollout()
    {
        var result = RolloutMachine.Step(Rolling(_one with { State = TargetState.Reverted, Detail = "unhealthy" }, _two, _three), _time.GetUtcNow());

        Assert.Equal(RolloutState.Failed, result.NewState);
        Assert.Equal("web-1 failed: unhealthy", result.Reason);
        Assert.Contains(new TargetChange(_two.AgentId, TargetState.Untouched, ""), result.Changes);
    }

    [Fact]
    public void Step_Refused_FailsNamingRefusal()
    {
        var result = RolloutMachine.Step(Rolling(_one with { State = TargetState.Refused, Detail = "SequenceNotNewer" }, _two, _three), _time.GetUtcNow());

        Assert.Equal(RolloutState.Failed, result.NewState);
        Assert.StartsWith("web-1 refused the release", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_ApplyingSilentPastDeadline_FailsRollout()
    {
        var since = _time.GetUtcNow();
        var rollout = Rolling(_one with { State = TargetState.Applying, StateSince = since }, _two, _three);
        _time.Advance(Deadline + TimeSpan.FromSeconds(1));

        var result = RolloutMachine.Step(rollout, _time.GetUtcNow());

        Assert.Equal(RolloutState.Failed, result.NewState);
        Assert.Contains(new TargetChange(_one.AgentId, TargetState.Failed, "no progress report for 30s (host silent or disconnected)"), result.Changes);
    }

    [Fact]
    public void Step_ApplyingWithinDeadline_Waits()
    {
        var rollout = Rolling(_one with { State = TargetState.Applying, StateSince = _time.GetUtcNow() }, _two, _three);
        _time.Advance(Deadline);

        Assert.True(RolloutMachine.Step(rollout, _time.GetUtcNow()).IsEmpty);
    }

    [Fact]
    public void Step_AllDone_Succeeded()
    {
        var result = RolloutMachine.Step(Rolling(_one with { State = TargetState.Done }, _two with { State = TargetState.Done }), _time.GetUtcNow());

        Assert.Equal(RolloutState.Succeeded, result.NewState);
    }

    [Fact]
    public void Step_NoTargets_SucceededWithReason()
    {
        var result = RolloutMachine.Step(Rolling(), _time.GetUtcNow());

        Assert.Equal(RolloutState.Succeeded, result.NewState);
        Assert.Contains("no agent matched", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_Paused_StartsNothing()
    {
        var result = RolloutMachine.Step(Rolling(_one, _two) with { State = RolloutState.Paused }, _time.GetUtcNow());

        Assert.True(result.IsEmpty);
    }

    [Fact]
    public void Step_CanaryDoneNoAutoPromote_AwaitsPromotion()
    {
        var result = RolloutMachine.Step(Canary(autoPromote: false, promoted: false), _time.GetUtcNow());

        Assert.Equal(RolloutState.AwaitingPromotion, result.NewState);
        Assert.Empty(result.Changes);
    }

    [Fact]
    public void Step_CanaryDoneAutoPromote_Promotes()
    {
        var result = RolloutMachine.Step(Canary(autoPromote: true, promoted: false), _time.GetUtcNow());

        Assert.True(result.Promote);
        Assert.Empty(result.Changes);
    }

    [Fact]
    public void Step_CanaryPromoted_StartsTheRest()
    {
        var result = RolloutMachine.Step(Canary(autoPromote: false, promoted: true), _time.GetUtcNow());

        Assert.Equal([_two.AgentId], result.Changes.Select(c => c.AgentId));
    }

    [Fact]
    public void Step_Finished_Nothing()
    {
        Assert.True(RolloutMachine.Step(Rolling(_one) with { State = RolloutState.Aborted }, _time.GetUtcNow()).IsEmpty);
    }

    [Fact]
    public void Step_FailedWithRevertSilentPastDeadline_RevertMarkedFailed()
    {
        var rollout = Rolling(_one with { State = TargetState.Reverting, StateSince = Start }) with { State = RolloutState.Failed };
        _time.Advance(Deadline + TimeSpan.FromSeconds(1));

        var result = RolloutMachine.Step(rollout, _time.GetUtcNow());

        Assert.Equal(new TargetChange(_one.AgentId, TargetState.Failed, "no REVERTED report for 30s"), Assert.Single(result.Changes));
        Assert.Null(result.NewState);
    }

    [Fact]
    public void NextDeadline_TwoHostsInFlight_TheEarlierDeadlineWhenStepFailsIt()
    {
        var early = Start + TimeSpan.FromSeconds(5);
        var rollout = Rolling(
            _one with { State = TargetState.Verifying, StateSince = early + TimeSpan.FromSeconds(3) }, _two with { State = TargetState.Applying, StateSince = early },
            _three with { State = TargetState.Done });

        var deadline = RolloutMachine.NextDeadline(rollout)!.Value;

        Assert.Equal(early + Deadline, deadline - TimeSpan.FromTicks(1));
        Assert.True(RolloutMachine.Step(rollout, deadline - TimeSpan.FromTicks(1)).IsEmpty);
        Assert.Equal([(_two.AgentId, TargetState.Failed)], RolloutMachine.Step(rollout, deadline).Changes.Take(1).Select(c => (c.AgentId, c.State)));
    }

    [Fact]
    public void NextDeadline_NothingInFlight_None()
    {
        Assert.Null(RolloutMachine.NextDeadline(Rolling(_one with { State = TargetState.Done }, _two, _three)));
        Assert.Null(RolloutMachine.NextDeadline(Rolling()));
    }

    [Fact]
    public void NextDeadline_FinishedWithARevertAndAConvergingHost_TheEarlierOfTheirDeadlines()
    {
        var rollout = Rolling(_one with { State = TargetState.Reverting, StateSince = Start }, _two with { State = TargetState.Applying, StateSince = Start - Deadline },
            _three with { State = TargetState.Done }) with { State = RolloutState.Succeeded };

        Assert.Equal(Start + TimeSpan.FromTicks(1), RolloutMachine.NextDeadline(rollout));
    }

    [Fact]
    public void After_SecondFailed_TargetsAndRolloutAsWritten()
    {
        var rollout = Rolling(_one with { State = TargetState.Done, Detail = "healthy" }, _two with { State = TargetState.Failed, Detail = "health check failed" }, _three);
        _time.Advance(TimeSpan.FromSeconds(5));
        var now = _time.GetUtcNow();

        var after = RolloutMachine.After(rollout, RolloutMachine.Step(rollout, now), now);

        Assert.Equal(RolloutState.Failed, after.State);
        Assert.Equal(
            [(TargetState.Reverting, now, "healthy"), (TargetState.Failed, Start, "health check failed"), (TargetState.Untouched, now, "")],
            after.Targets.Select(t => (t.State, t.StateSince, t.Detail)));
    }

    [Fact]
    public void After_CanaryAutoPromote_PromotedStillRunning()
    {
        var rollout = Canary(autoPromote: true, promoted: false);

        var after = RolloutMachine.After(rollout, RolloutMachine.Step(rollout, _time.GetUtcNow()), _time.GetUtcNow());

        Assert.True(after.Promoted);
        Assert.Equal(RolloutState.Running, after.State);
    }

    private static TargetSnapshot Target(string name, int wave) => new(Guid.NewGuid(), name, wave, TargetState.Waiting, Start);

    private static RolloutSnapshot Rolling(params TargetSnapshot[] targets) =>
        new("ro-1", RolloutState.Running, "rolling", false, false, Deadline, targets);

    private RolloutSnapshot Canary(bool autoPromote, bool promoted) =>
        new("ro-1", RolloutState.Running, "canary", autoPromote, promoted, Deadline, [_one with { State = TargetState.Done }, _two with { Wave = 1 }]);
}
