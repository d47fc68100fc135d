using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Integration.Tests.Controller;
using Grpc.Core;

namespace Fleet.Integration.Tests.Rollouts;

/// <summary>The rollout driver against real PostgreSQL, with agents simulated on real Connect streams.</summary>
public sealed class RolloutDriverTests
{
    private static readonly StrategySpec RollingOne = new() { Type = RolloutStrategyType.Rolling, MaxParallel = 1 };

    [Fact]
    public async Task Rolling_SecondAgentFails_HaltsFirstRevertedThirdUntouched()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 3);
        var (one, two, three) = (fleet.Agents[0], fleet.Agents[1], fleet.Agents[2]);

        var submitted = await fleet.SubmitAsync(RollingOne, sequence: 1);
        var rolloutId = submitted.Rollout.RolloutId;
        var first = await one.NextAssignmentAsync();
        Assert.Equal((AssignmentAction.Apply, 1L, rolloutId), (first.Action, first.Sequence, first.RolloutId));
        Assert.False(two.HasPendingAssignment);
        await one.SucceedAsync(first);
        var second = await two.NextAssignmentAsync();
        await two.ReportAsync(second, AgentEventKind.Failed, "web: health check failed 3 times");

        var revert = await one.NextAssignmentAsync();
        Assert.Equal((AssignmentAction.Revert, 0L), (revert.Action, revert.RevertToSequence));
        var failed = await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Failed, "rollout failed");
        Assert.Equal("web-2 failed: web: health check failed 3 times", failed.Reason);
        Assert.Equal(TargetState.Reverting, RolloutFixture.StateOf(failed, "web-1"));
        Assert.Equal(TargetState.Failed, RolloutFixture.StateOf(failed, "web-2"));
        Assert.Equal(TargetState.Untouched, RolloutFixture.StateOf(failed, "web-3"));
        Assert.Equal("health check failed: connection refused", failed.Targets.Single(t => t.AgentName == "web-2").LogTail);
        await one.ReportAsync(revert, AgentEventKind.Reverted);
        await fleet.WaitForAsync(rolloutId, r => RolloutFixture.StateOf(r, "web-1") == TargetState.Reverted, "web-1 reverted");
        Assert.False(three.HasPendingAssignment);
    }

    [Fact]
    public async Task Submit_RollingThree_FirstWaveApplyingAndSentWhenTheSubmitReturns()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 3);

        var submitted = await fleet.SubmitAsync(RollingOne, sequence: 1);
        var assignment = await fleet.Agents[0].NextAssignmentAsync();

        // Started in the submit's own transaction, not at the driver's next step; the answer counts
        // the targets instead of listing them.
        Assert.Equal(RolloutState.Running, submitted.Rollout.State);
        Assert.Empty(submitted.Rollout.Targets);
        Assert.Equal([(TargetState.Waiting, 2), (TargetState.Applying, 1)], submitted.Rollout.TargetCounts.Select(c => (c.State, c.Count)));
        Assert.Equal((AssignmentAction.Apply, 1L, submitted.Rollout.RolloutId), (assignment.Action, assignment.Sequence, assignment.RolloutId));
        Assert.False(fleet.Agents[1].HasPendingAssignment || fleet.Agents[2].HasPendingAssignment);
    }

    [Fact]
    public async Task Submit_WhileRolloutRunning_RefusedUnlessSupersede()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 1);
        var running = await fleet.SubmitAsync(RollingOne, sequence: 1);

        var error = await Assert.ThrowsAsync<RpcException>(() => fleet.SubmitAsync(RollingOne, sequence: 2));
        var superseding = await fleet.SubmitAsync(RollingOne, sequence: 2, supersede: true);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains($"rollout {running.Rollout.RolloutId} of shop/staging is still running", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("--supersede", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(RolloutState.Superseded, (await fleet.GetAsync(running.Rollout.RolloutId)).State);
        Assert.Equal(RolloutState.Running, superseding.Rollout.State);
    }

    [Fact]
    public async Task Canary_AutoPromote_CanaryFirstThenTheRestSucceeded()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 3);
        var strategy = new StrategySpec { Type = RolloutStrategyType.Canary, Count = 1, AutoPromote = true };

        var rolloutId = (await fleet.SubmitAsync(strategy, sequence: 1)).Rollout.RolloutId;
        var canary = await fleet.Agents[0].NextAssignmentAsync();
        Assert.False(fleet.Agents[1].HasPendingAssignment || fleet.Agents[2].HasPendingAssignment);
        await fleet.Agents[0].SucceedAsync(canary);
        foreach (var agent in fleet.Agents.Skip(1))
        {
            await agent.SucceedAsync(await agent.NextAssignmentAsync());
        }

        var done = await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Succeeded, "canary rollout succeeded");
        Assert.All(done.Targets, t => Assert.Equal(TargetState.Done, t.State));
        Assert.Equal([0, 1, 1], done.Targets.Select(t => t.Wave));
    }

    [Fact]
    public async Task Canary_NoAutoPromote_WaitsForPromote()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 2);
        var strategy = new StrategySpec { Type = RolloutStrategyType.Canary, Count = 1 };
        var rolloutId = (await fleet.SubmitAsync(strategy, sequence: 1)).Rollout.RolloutId;
        await fleet.Agents[0].SucceedAsync(await fleet.Agents[0].NextAssignmentAsync());
        await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.AwaitingPromotion, "awaiting promotion");
        Assert.False(fleet.Agents[1].HasPendingAssignment);

        await fleet.Rollouts.PromoteRolloutAsync(new PromoteRolloutRequest { RolloutId = rolloutId }, fleet.Admin, cancellationToken: TestContext.Current.CancellationToken);

        var rest = await fleet.Agents[1].NextAssignmentAsync();
        Assert.Equal(AssignmentAction.Apply, rest.Action);
    }

    [Fact]
    public async Task PauseResumeAbort_RollingThree_PausedHoldsResumedContinuesAbortRevertsUpdated()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 3);
        var rolloutId = (await fleet.SubmitAsync(RollingOne, sequence: 1)).Rollout.RolloutId;
        var first = await fleet.Agents[0].NextAssignmentAsync();

        var paused = await fleet.Rollouts.PauseRolloutAsync(new PauseRolloutRequest { RolloutId = rolloutId }, fleet.Admin, cancellationToken: TestContext.Current.CancellationToken);
        await fleet.Agents[0].SucceedAsync(first);
        await fleet.WaitForAsync(rolloutId, r => RolloutFixture.StateOf(r, "web-1") == TargetState.Done, "web-1 done while paused");
        Assert.Equal(RolloutState.Paused, paused.Rollout.State);
        Assert.Equal(TargetState.Waiting, RolloutFixture.StateOf(await fleet.GetAsync(rolloutId), "web-2"));

        await fleet.Rollouts.ResumeRolloutAsync(new ResumeRolloutRequest { RolloutId = rolloutId }, fleet.Admin, cancellationToken: TestContext.Current.CancellationToken);
        var second = await fleet.Agents[1].NextAssignmentAsync();
        Assert.Equal(AssignmentAction.Apply, second.Action);

        var aborted = (await fleet.Rollouts.AbortRolloutAsync(new AbortRolloutRequest { RolloutId = rolloutId }, fleet.Admin, cancellationToken: TestContext.Current.CancellationToken)).Rollout;
        Assert.Equal(RolloutState.Aborted, aborted.State);
        Assert.Equal(AssignmentAction.Revert, (await fleet.Agents[0].NextAssignmentAsync()).Action);
        Assert.Equal(AssignmentAction.Revert, (await fleet.Agents[1].NextAssignmentAsync()).Action);
        Assert.Equal(TargetState.Untouched, RolloutFixture.StateOf(aborted, "web-3"));
        Assert.Equal(3L, await fleet.Controller.Database.ScalarAsync(
            "select count(*) from audit_log where action in ('rollout.pause', 'rollout.resume', 'rollout.abort')"));
    }

    [Fact]
    public async Task Events_SameSequenceTwice_StoredOnceBothAcknowledged()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 1);
        await fleet.SubmitAsync(RollingOne, sequence: 1);
        var assignment = await fleet.Agents[0].NextAssignmentAsync();

        var sequence = await fleet.Agents[0].ReportAsync(assignment, AgentEventKind.Applied);
        await fleet.Agents[0].ReportAsync(assignment, AgentEventKind.Applied, sequence: sequence);

        Assert.Equal(1L, await fleet.Controller.Database.ScalarAsync("select count(*) from agent_events"));
    }

    [Fact]
    public async Task Progress_ThreeHostsAtOnceAndADuplicate_EachStoredOnceTargetsShowTheNewest()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 3);
        var rolloutId = (await fleet.SubmitAsync(new StrategySpec { Type = RolloutStrategyType.All }, sequence: 1)).Rollout.RolloutId;
        var assignments = await Task.WhenAll(fleet.Agents.Select(a => a.NextAssignmentAsync()));

        var first = await Task.WhenAll(fleet.Agents.Zip(assignments, (a, x) => a.ReportAsync(x, AgentEventKind.Progress, "pulling")));
        await Task.WhenAll(fleet.Agents.Zip(assignments, (a, x) => a.ReportAsync(x, AgentEventKind.Progress, "starting")));
        await fleet.Agents[0].ReportAsync(assignments[0], AgentEventKind.Progress, "pulling", sequence: first[0]);
        var rollout = await fleet.GetAsync(rolloutId);

        Assert.Equal(6L, await fleet.Controller.Database.ScalarAsync("select count(*) from agent_events where kind = 'Progress'"));
        Assert.All(rollout.Targets, t => Assert.Equal((TargetState.Applying, "starting"), (t.State, t.Detail)));
    }

    [Fact]
    public async Task Watch_TwentyReportsInARow_UpdatesSpacedTheLastOneShown()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 1);
        var rolloutId = (await fleet.SubmitAsync(new StrategySpec { Type = RolloutStrategyType.All }, sequence: 1)).Rollout.RolloutId;
        var assignment = await fleet.Agents[0].NextAssignmentAsync();
        using var watch = fleet.Rollouts.WatchRollout(new WatchRolloutRequest { RolloutId = rolloutId }, fleet.Admin, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(await watch.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
        var updates = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var reading = Task.Run(async () =>
        {
            while (await watch.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
            {
                updates.Add(watch.ResponseStream.Current.Rollout.Targets.Single().Detail);
                if (updates[^1] == "step 20")
                {
                    return;
                }
            }
        }, TestContext.Current.CancellationToken);
        for (var step = 1; step <= 20; step++)
        {
            await fleet.Agents[0].ReportAsync(assignment, AgentEventKind.Progress, $"step {step}");
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        // Each report is stored and acknowledged before the next: one update each, unless spaced 500 ms apart.
        Assert.InRange(updates.Count, 1, 2 + (int)(clock.Elapsed.TotalMilliseconds / 500));
        Assert.Equal("step 20", updates[^1]);
    }

    [Fact]
    public async Task Reconnect_NotApplied_AssignmentSentAgain()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 1);
        await fleet.SubmitAsync(RollingOne, sequence: 1);
        var before = await fleet.Agents[0].NextAssignmentAsync();

        await using var again = await SimulatedAgent.ConnectAsync(fleet.Controller, fleet.Agents[0].Enrolled);
        var after = await again.NextAssignmentAsync();

        Assert.Equal((before.RolloutId, AssignmentAction.Apply), (after.RolloutId, after.Action));
    }

    [Fact]
    public async Task SilentHost_PastProgressDeadline_FailsRollout()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 2);
        var rolloutId = (await fleet.SubmitAsync(RollingOne, sequence: 1)).Rollout.RolloutId;
        await fleet.Agents[0].NextAssignmentAsync();

        // web-1 never reports: healthy_deadline 10s + min_healthy_time 1s later the rollout fails.
        var failed = await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Failed, "rollout failed on the silent host");

        Assert.StartsWith("web-1 failed: no progress report for 11s", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(TargetState.Untouched, RolloutFixture.StateOf(failed, "web-2"));
    }

    [Fact]
    public async Task OnceHook_AllThreeHosts_OneHostRunsItBeforeTheOthersStart()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 3);
        var rolloutId = (await SubmitWithHookAsync(fleet)).Rollout.RolloutId;

        var hookHost = await fleet.Agents[0].NextAssignmentAsync();
        Assert.True(hookHost.RunOnceHooks);
        Assert.False(fleet.Agents[1].HasPendingAssignment || fleet.Agents[2].HasPendingAssignment);
        await fleet.Agents[0].SucceedAsync(hookHost);
        var others = new[] { await fleet.Agents[1].NextAssignmentAsync(), await fleet.Agents[2].NextAssignmentAsync() };

        Assert.All(others, a => Assert.False(a.RunOnceHooks));
        foreach (var (agent, assignment) in fleet.Agents.Skip(1).Zip(others))
        {
            await agent.SucceedAsync(assignment);
        }

        await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Succeeded, "rollout with a once hook succeeded");
    }

    [Fact]
    public async Task OnceHook_Fails_NoOtherHostChanges()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 3);
        var rolloutId = (await SubmitWithHookAsync(fleet)).Rollout.RolloutId;
        var hookHost = await fleet.Agents[0].NextAssignmentAsync();

        await fleet.Agents[0].ReportAsync(hookHost, AgentEventKind.Failed, "hook migrate exited with 1");

        var failed = await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Failed, "rollout failed on the hook");
        Assert.Equal([TargetState.Failed, TargetState.Untouched, TargetState.Untouched], failed.Targets.Select(t => t.State));
        Assert.False(fleet.Agents[1].HasPendingAssignment || fleet.Agents[2].HasPendingAssignment);
    }

    private static async Task<SubmitReleaseResponse> SubmitWithHookAsync(RolloutFixture fleet)
    {
        var definition = RolloutFixture.Definition(new StrategySpec()) with
        {
            Hooks = [new HookSpec { Name = "migrate", Image = RolloutFixture.Image, Command = ["migrate"] }],
        };
        return await fleet.Releases.SubmitReleaseAsync(
            new SubmitReleaseRequest { Envelope = Google.Protobuf.ByteString.CopyFrom(fleet.Sign(definition, 1)) }, fleet.Admin,
            cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task ControllerRestart_AgentFinishesAndReportsLater_RolloutContinues()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 2);
        var rolloutId = (await fleet.SubmitAsync(RollingOne, sequence: 1)).Rollout.RolloutId;
        var first = await fleet.Agents[0].NextAssignmentAsync();

        // The controller goes away while web-1 swaps; web-1 finishes and reports after reconnecting.
        await fleet.Controller.RestartAsync();
        await using var one = await SimulatedAgent.ConnectAsync(fleet.Controller, fleet.Agents[0].Enrolled,
            new AppliedRelease { App = "shop", Environment = "staging", Sequence = 1 });
        await using var two = await SimulatedAgent.ConnectAsync(fleet.Controller, fleet.Agents[1].Enrolled);
        await one.ReportAsync(first, AgentEventKind.Applied, sequence: 1);
        await one.ReportAsync(first, AgentEventKind.Healthy, sequence: 2);

        var second = await two.NextAssignmentAsync();
        Assert.Equal((rolloutId, AssignmentAction.Apply), (second.RolloutId, second.Action));
        Assert.False(one.HasPendingAssignment);
        await two.SucceedAsync(second);
        await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Succeeded, "rollout succeeded after the restart");
    }

    [Fact]
    public async Task TargetLabels_OnlyMatchingAgentsPlanned()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 3, i => new() { ["role"] = i == 2 ? "db" : "web" });
        var definition = RolloutFixture.Definition(new StrategySpec()) with { TargetLabels = new SortedDictionary<string, string> { ["role"] = "web" } };

        var submitted = await fleet.Releases.SubmitReleaseAsync(
            new SubmitReleaseRequest { Envelope = Google.Protobuf.ByteString.CopyFrom(fleet.Sign(definition, 1)) }, fleet.Admin,
            cancellationToken: TestContext.Current.CancellationToken);

        var planned = await fleet.GetAsync(submitted.Rollout.RolloutId);
        Assert.Equal(["web-1", "web-3"], planned.Targets.Select(t => t.AgentName));
        Assert.Equal([(TargetState.Applying, 2)], planned.TargetCounts.Select(c => (c.State, c.Count)));
    }

    [Fact]
    public async Task Unhealthy_AgentRevertsItself_TargetRevertedRolloutFailed()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 2);
        var rolloutId = (await fleet.SubmitAsync(RollingOne, sequence: 1)).Rollout.RolloutId;
        var assignment = await fleet.Agents[0].NextAssignmentAsync();

        await fleet.Agents[0].ReportAsync(assignment, AgentEventKind.Applied);
        await fleet.Agents[0].ReportAsync(assignment, AgentEventKind.Unhealthy, "web: unhealthy 5 s after the switch");
        await fleet.Agents[0].ReportAsync(assignment, AgentEventKind.Reverted);

        var failed = await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Failed && RolloutFixture.StateOf(r, "web-1") == TargetState.Reverted,
            "rollout failed with web-1 reverted");
        Assert.Equal("web-1 failed: web: unhealthy 5 s after the switch", failed.Reason);
        Assert.Equal(TargetState.Untouched, RolloutFixture.StateOf(failed, "web-2"));
    }
}
