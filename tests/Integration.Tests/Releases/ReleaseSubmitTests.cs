using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Fleet.Integration.Tests.Controller;
using Fleet.Integration.Tests.Rollouts;
using Google.Protobuf;
using Grpc.Core;

namespace Fleet.Integration.Tests.Releases;

/// <summary>SubmitRelease and ApproveRelease: what the controller stores and what it refuses, against real PostgreSQL.</summary>
public sealed class ReleaseSubmitTests
{
    private static readonly StrategySpec All = new();

    [Fact]
    public async Task Submit_OneByteOfPayloadChanged_RefusedAsBadSignatureNothingStored()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);
        var envelope = DsseEnvelope.Parse(fleet.Sign(RolloutFixture.Definition(All), 1), ReleaseManifest.PayloadType);
        var payload = envelope.Payload.ToArray();
        payload[^3] ^= 0x01;

        var error = await SubmitRefusedAsync(fleet, (envelope with { Payload = payload }).ToJson());

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("NoTrustedSignature", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0L, await fleet.Controller.Database.ScalarAsync("select count(*) from releases"));
    }

    [Fact]
    public async Task Submit_SignedByUnknownKey_Refused()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);

        var error = await SubmitRefusedAsync(fleet, fleet.Sign(RolloutFixture.Definition(All), 1, "staging", "mallory"));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("none of the 1 signatures verifies", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Expired_Refused()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);
        var manifest = ReleaseManifest.Create(RolloutFixture.Definition(All), "staging", 1, DateTimeOffset.UtcNow.AddHours(-2), TimeSpan.FromHours(1));

        var error = await SubmitRefusedAsync(fleet, manifest.Sign([fleet.Keys["alice"]]).ToJson());

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("Expired", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_TagOnlyImage_Refused()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);
        var definition = RolloutFixture.Definition(All) with { Services = [new ServiceSpec { Name = "web", Image = "127.0.0.1:5000/shop/web:1.0" }] };

        var error = await SubmitRefusedAsync(fleet, fleet.Sign(definition, 1));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("ImageNotPinned", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:5000/shop/web:1.0", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_SequenceNotGreater_Refused()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);
        await fleet.SubmitAsync(All, sequence: 5);

        var error = await SubmitRefusedAsync(fleet, fleet.Sign(RolloutFixture.Definition(All), 5));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("sequence 5 of shop/staging is not greater than the latest 5", error.Status.Detail, StringComparison.Ordinal);
        var next = await fleet.Releases.GetNextSequenceAsync(new GetNextSequenceRequest { App = "shop", Environment = "staging" }, fleet.Admin,
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(6, next.Sequence);
    }

    [Fact]
    public async Task Submit_OversizedEnvelope_RefusedBeforeParsing()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);

        var error = await SubmitRefusedAsync(fleet, new byte[DsseEnvelope.MaxEnvelopeBytes + 1]);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("at most", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_NoTrustPolicy_FailedPreconditionNamingTrustPush()
    {
        await using var controller = await ControllerHarness.StartAsync();
        using var keys = new OperatorKeys();
        var envelope = ReleaseManifest.Create(RolloutFixture.Definition(All), "staging", 1, DateTimeOffset.UtcNow, TimeSpan.FromHours(1)).Sign([keys["alice"]]).ToJson();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await new ReleasesService.ReleasesServiceClient(controller.Channel()).SubmitReleaseAsync(
            new SubmitReleaseRequest { Envelope = ByteString.CopyFrom(envelope) }, ControllerHarness.Bearer(controller.AdminToken), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("fleetctl trust push", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_SecondSignatureOfProduction_ThresholdMetRolloutStarts()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);
        // Rotate to a policy where production needs alice and bob.
        var rotation = fleet.Keys.Policy(2, ["alice"], 1,
            [new EnvironmentRuleSpec("staging", ["alice"], 1), new EnvironmentRuleSpec("production", ["alice", "bob"], 2)], "alice");
        await new TrustService.TrustServiceClient(fleet.Controller.Channel()).SetTrustPolicyAsync(
            new SetTrustPolicyRequest { Envelope = ByteString.CopyFrom(rotation) }, fleet.Admin, cancellationToken: TestContext.Current.CancellationToken);
        var envelope = fleet.Sign(RolloutFixture.Definition(All), 1, "production", "alice");

        var submitted = await fleet.Releases.SubmitReleaseAsync(new SubmitReleaseRequest { Envelope = ByteString.CopyFrom(envelope) }, fleet.Admin,
            cancellationToken: TestContext.Current.CancellationToken);
        var payload = DsseEnvelope.Parse(envelope, ReleaseManifest.PayloadType).Payload;
        var approval = Dsse.Sign(ReleaseManifest.PayloadType, payload, [fleet.Keys["bob"]]).ToJson();
        var approved = await fleet.Releases.ApproveReleaseAsync(
            new ApproveReleaseRequest { ReleaseId = submitted.Release.ReleaseId, Envelope = ByteString.CopyFrom(approval) }, fleet.Admin,
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(submitted.Release.ThresholdMet);
        Assert.Equal(RolloutState.AwaitingApproval, submitted.Rollout.State);
        Assert.True(approved.Release.ThresholdMet);
        Assert.Equal(2, approved.Release.Signers.Count);
        Assert.NotEqual(RolloutState.AwaitingApproval, approved.Rollout.State);
        Assert.Equal(1L, await fleet.Controller.Database.ScalarAsync("select count(*) from audit_log where action = 'release.approve'"));
    }

    [Fact]
    public async Task Approve_DifferentPayload_Refused()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);
        var submitted = await fleet.SubmitAsync(All, sequence: 1);
        var other = fleet.Sign(RolloutFixture.Definition(All), 2);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await fleet.Releases.ApproveReleaseAsync(
            new ApproveReleaseRequest { ReleaseId = submitted.Release.ReleaseId, Envelope = ByteString.CopyFrom(other) }, fleet.Admin,
            cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("different bytes", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Accepted_AuditedWithTokenIdAndListed()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);

        var submitted = await fleet.SubmitAsync(All, sequence: 1);

        var listed = await fleet.Releases.ListReleasesAsync(new ListReleasesRequest { App = "shop" }, fleet.Admin, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(submitted.Release.ReleaseId, Assert.Single(listed.Releases).ReleaseId);
        Assert.Equal("shop/staging#1", await fleet.Controller.Database.ScalarAsync("select subject from audit_log where action = 'release.submit'"));
        Assert.Equal(16, ((string)(await fleet.Controller.Database.ScalarAsync("select token_id from audit_log where action = 'release.submit'"))!).Length);
        // No agent matches: the rollout has nothing to do and succeeds.
        var rollout = await fleet.WaitForAsync(submitted.Rollout.RolloutId, r => r.State == RolloutState.Succeeded, "empty rollout succeeded");
        Assert.Contains("no agent matched", rollout.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_Rollback_AuditedAsRollback()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);

        await fleet.Releases.SubmitReleaseAsync(
            new SubmitReleaseRequest { Envelope = ByteString.CopyFrom(fleet.Sign(RolloutFixture.Definition(All), 2)), Rollback = true, Supersede = true },
            fleet.Admin, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("shop/staging#2", await fleet.Controller.Database.ScalarAsync("select subject from audit_log where action = 'release.rollback'"));
    }

    [Fact]
    public async Task AuditLog_Update_RefusedAppendOnly()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => fleet.Controller.Database.ScalarAsync("update audit_log set detail = 'x'"));

        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
    }

    private static Task<RpcException> SubmitRefusedAsync(RolloutFixture fleet, byte[] envelope) =>
        Assert.ThrowsAsync<RpcException>(async () => await fleet.Releases.SubmitReleaseAsync(
            new SubmitReleaseRequest { Envelope = ByteString.CopyFrom(envelope) }, fleet.Admin, cancellationToken: TestContext.Current.CancellationToken));
}
