using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Google.Protobuf;

namespace Fleet.Integration.Tests.Rollouts;

/// <summary>
/// Reverts that reach hosts which switched late, and rollouts that wait (for an approval or a
/// promotion) only so long, against a real controller and PostgreSQL.
/// </summary>
public sealed class RevertAndExpiryTests
{
    // Nothing wakes the rollout driver when a wait runs out: its 30 s safety poll notices the expiry.
    private static readonly TimeSpan ExpiryNoticed = TimeSpan.FromSeconds(75);

    private static readonly StrategySpec All = new() { Type = RolloutStrategyType.All };

    [Fact]
    public async Task SilentHost_ReportsHealthyAfterRolloutFailed_SentRevert()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 2);
        var rolloutId = (await fleet.SubmitAsync(All, sequence: 1)).Rollout.RolloutId;
        var silent = await fleet.Agents[0].NextAssignmentAsync();
        await fleet.Agents[1].SucceedAsync(await fleet.Agents[1].NextAssignmentAsync());
        await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Failed, "rollout failed on the silent host");
        Assert.Equal(AssignmentAction.Revert, (await fleet.Agents[1].NextAssignmentAsync()).Action);

        // The silent host finishes its swap after all: it runs a release the rollout gave up on.
        await fleet.Agents[0].SucceedAsync(silent);

        var revert = await fleet.Agents[0].NextAssignmentAsync();
        Assert.Equal((rolloutId, AssignmentAction.Revert, 0L), (revert.RolloutId, revert.Action, revert.RevertToSequence));
        await fleet.Agents[0].ReportAsync(revert, AgentEventKind.Reverted);
        await fleet.WaitForAsync(rolloutId, r => RolloutFixture.StateOf(r, "web-1") == TargetState.Reverted, "web-1 reverted");
    }

    [Fact]
    public async Task SilentHost_ReconnectsRunningTheFailedRelease_SentRevert()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 1);
        var rolloutId = (await fleet.SubmitAsync(All, sequence: 1)).Rollout.RolloutId;
        await fleet.Agents[0].NextAssignmentAsync();
        await fleet.Agents[0].DisposeAsync();
        await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Failed, "rollout failed on the silent host");

        await using var back = await SimulatedAgent.ConnectAsync(fleet.Controller, fleet.Agents[0].Enrolled,
            new AppliedRelease { App = "shop", Environment = "staging", Sequence = 1 });

        var revert = await back.NextAssignmentAsync();
        Assert.Equal((rolloutId, AssignmentAction.Revert), (revert.RolloutId, revert.Action));
    }

    [Fact]
    public async Task AwaitingPromotion_PastWaitLimit_ExpiresRevertsCanaryFreesApp()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 2, controllerArgs: ["--max-rollout-wait", "4s"]);
        var rolloutId = (await fleet.SubmitAsync(new StrategySpec { Type = RolloutStrategyType.Canary, Count = 1 }, sequence: 1)).Rollout.RolloutId;
        await fleet.Agents[0].SucceedAsync(await fleet.Agents[0].NextAssignmentAsync());
        await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.AwaitingPromotion, "awaiting promotion");

        var expired = await fleet.WaitForAsync(rolloutId, r => r.State == RolloutState.Expired, "rollout expired", ExpiryNoticed);

        Assert.StartsWith("not promoted within 4s", expired.Reason, StringComparison.Ordinal);
        Assert.Equal(AssignmentAction.Revert, (await fleet.Agents[0].NextAssignmentAsync()).Action);
        Assert.Equal(TargetState.Untouched, RolloutFixture.StateOf(expired, "web-2"));
        Assert.Equal(RolloutState.Running, (await fleet.SubmitAsync(All, sequence: 2)).Rollout.State);
    }

    [Fact]
    public async Task AwaitingApproval_PastWaitLimit_ExpiresAndFreesApp()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0, controllerArgs: ["--max-rollout-wait", "3s"]);
        await RequireTwoSignaturesInProductionAsync(fleet);
        var waiting = await SubmitProductionAsync(fleet, sequence: 1);
        Assert.Equal(RolloutState.AwaitingApproval, waiting.Rollout.State);

        var expired = await fleet.WaitForAsync(waiting.Rollout.RolloutId, r => r.State == RolloutState.Expired, "rollout expired", ExpiryNoticed);

        Assert.StartsWith("not approved within 3s", expired.Reason, StringComparison.Ordinal);
        Assert.Equal(RolloutState.AwaitingApproval, (await SubmitProductionAsync(fleet, sequence: 2)).Rollout.State);
    }

    [Fact]
    public async Task AwaitingApproval_NewerReleaseSubmitted_SupersededWithoutTheFlag()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);
        await RequireTwoSignaturesInProductionAsync(fleet);
        var first = await SubmitProductionAsync(fleet, sequence: 1);

        var second = await SubmitProductionAsync(fleet, sequence: 2);

        Assert.Equal(RolloutState.Superseded, (await fleet.GetAsync(first.Rollout.RolloutId)).State);
        Assert.Equal(RolloutState.AwaitingApproval, second.Rollout.State);
    }

    private static async Task RequireTwoSignaturesInProductionAsync(RolloutFixture fleet)
    {
        var policy = fleet.Keys.Policy(2, ["alice"], 1,
            [new EnvironmentRuleSpec("staging", ["alice"], 1), new EnvironmentRuleSpec("production", ["alice", "bob"], 2)], "alice");
        await new TrustService.TrustServiceClient(fleet.Controller.Channel())
            .SetTrustPolicyAsync(new SetTrustPolicyRequest { Envelope = ByteString.CopyFrom(policy) }, fleet.Admin, cancellationToken: TestContext.Current.CancellationToken);
    }

    private static async Task<SubmitReleaseResponse> SubmitProductionAsync(RolloutFixture fleet, long sequence) =>
        await fleet.Releases.SubmitReleaseAsync(
            new SubmitReleaseRequest { Envelope = ByteString.CopyFrom(fleet.Sign(RolloutFixture.Definition(All), sequence, "production")) },
            fleet.Admin, cancellationToken: TestContext.Current.CancellationToken);
}
