using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Fleet.Integration.Tests.Controller;
using Fleet.Integration.Tests.Rollouts;
using Google.Protobuf;
using Grpc.Core;

namespace Fleet.Integration.Tests.Releases;

/// <summary>
/// What a deployer token without the keys cannot do, against real PostgreSQL: fill a release with
/// signatures that count for nothing, sign twice with one key, or block an app and environment by
/// parking a release that never meets its threshold at a huge sequence.
/// </summary>
public sealed class ReleaseSignerAndSequenceTests
{
    private static readonly StrategySpec All = new();

    [Fact]
    public async Task Submit_PaddedToTheCapWithJunkSignatures_StoresOnlyTheTrustedOneAndApprovalFits()
    {
        await using var fleet = await StartWithProductionAsync();
        var signed = DsseEnvelope.Parse(fleet.Sign(RolloutFixture.Definition(All), 1, "production", "alice", "alice", "carol"), ReleaseManifest.PayloadType);
        var junk = Enumerable.Range(0, DsseEnvelope.MaxSignatures - 3).Select(i => new DsseSignature(fleet.Keys["bob"].KeyId, [0x30, (byte)i]));
        var padded = signed with { Signatures = [.. signed.Signatures, .. junk] };

        var submitted = await SubmitAsync(fleet, padded.ToJson());
        var stored = await StoredEnvelopeAsync(fleet, submitted.Release.ReleaseId);
        var approved = await ApproveAsync(fleet, submitted.Release.ReleaseId, "bob");

        Assert.Equal(DsseEnvelope.MaxSignatures, padded.Signatures.Count);
        Assert.Equal([fleet.Keys["alice"].KeyId], stored.Signatures.Select(s => s.KeyId));
        Assert.True(approved.Release.ThresholdMet);
        Assert.Equal(2, (await StoredEnvelopeAsync(fleet, submitted.Release.ReleaseId)).Signatures.Count);
    }

    [Fact]
    public async Task Approve_KeyThatAlreadySigned_RefusedNothingChanged()
    {
        await using var fleet = await StartWithProductionAsync();
        var submitted = await SubmitAsync(fleet, fleet.Sign(RolloutFixture.Definition(All), 1, "production", "alice"));
        var before = await fleet.Controller.Database.ScalarAsync("select envelope from releases");

        var error = await Assert.ThrowsAsync<RpcException>(() => ApproveAsync(fleet, submitted.Release.ReleaseId, "alice"));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("AlreadySigned", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("key alice", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await fleet.Controller.Database.ScalarAsync("select envelope from releases"));
    }

    [Fact]
    public async Task Approve_KeyOutsideThePolicy_RefusedNothingChanged()
    {
        await using var fleet = await StartWithProductionAsync();
        var submitted = await SubmitAsync(fleet, fleet.Sign(RolloutFixture.Definition(All), 1, "production", "alice"));
        var before = await fleet.Controller.Database.ScalarAsync("select envelope from releases");

        var error = await Assert.ThrowsAsync<RpcException>(() => ApproveAsync(fleet, submitted.Release.ReleaseId, "mallory"));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("NoTrustedSignature", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await fleet.Controller.Database.ScalarAsync("select envelope from releases"));
    }

    [Fact]
    public async Task Approve_KeyTrustedOnlyForAnotherEnvironment_RefusedNamingIt()
    {
        await using var fleet = await StartWithProductionAsync();
        var submitted = await SubmitAsync(fleet, fleet.Sign(RolloutFixture.Definition(All), 1, "production", "alice"));

        var error = await Assert.ThrowsAsync<RpcException>(() => ApproveAsync(fleet, submitted.Release.ReleaseId, "carol"));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("key carol", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("not trusted for 'production'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Single((await StoredEnvelopeAsync(fleet, submitted.Release.ReleaseId)).Signatures);
    }

    [Fact]
    public async Task Submit_WaitingReleaseAtTheHighestSequence_DoesNotBlockLaterReleases()
    {
        await using var fleet = await StartWithProductionAsync();
        await SubmitAsync(fleet, fleet.Sign(RolloutFixture.Definition(All), ReleaseValidator.MaxSequence, "production", "alice"));

        var suggested = await NextSequenceAsync(fleet);
        var accepted = await SubmitAsync(fleet, fleet.Sign(RolloutFixture.Definition(All), suggested, "production", "alice", "bob"), supersede: true);

        Assert.Equal(1, suggested);
        Assert.True(accepted.Release.ThresholdMet);
        Assert.Equal(2, await NextSequenceAsync(fleet));
    }

    [Fact]
    public async Task Submit_SequenceOfAWaitingRelease_RefusedAndNextSequenceSkipsIt()
    {
        await using var fleet = await StartWithProductionAsync();
        await SubmitAsync(fleet, fleet.Sign(RolloutFixture.Definition(All), 2, "production", "alice", "bob"));
        var waiting = await SubmitAsync(fleet, fleet.Sign(RolloutFixture.Definition(All), 3, "production", "alice"), supersede: true);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            SubmitAsync(fleet, fleet.Sign(RolloutFixture.Definition(All), 3, "production", "alice", "bob"), supersede: true));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains($"SequenceTaken): sequence 3 of shop/production is used by release {waiting.Release.ReleaseId}", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(4, await NextSequenceAsync(fleet));
    }

    [Fact]
    public async Task Submit_SequenceAboveTheLimit_RefusedNothingStored()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);
        var manifest = ReleaseManifest.Create(RolloutFixture.Definition(All), "staging", 1, DateTimeOffset.UtcNow, TimeSpan.FromHours(1)) with { Sequence = long.MaxValue };

        var error = await Assert.ThrowsAsync<RpcException>(() => SubmitAsync(fleet, manifest.Sign([fleet.Keys["alice"]]).ToJson()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("sequence: must be between 1 and 2^53 - 1", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0L, await fleet.Controller.Database.ScalarAsync("select count(*) from releases"));
    }

    [Fact]
    public async Task NextSequence_ApprovedReleaseStoredAtLongMaxValue_RefusedClearlyInsteadOfOverflowing()
    {
        await using var fleet = await RolloutFixture.StartAsync(agents: 0);
        await fleet.SubmitAsync(All, sequence: 1);
        await fleet.Controller.Database.ScalarAsync("update releases set sequence = 9223372036854775807");

        var error = await Assert.ThrowsAsync<RpcException>(() => NextSequenceAsync(fleet, "staging"));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("no sequence left", error.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>staging: alice or carol; production: alice and bob.</summary>
    private static async Task<RolloutFixture> StartWithProductionAsync()
    {
        var fleet = await RolloutFixture.StartAsync(agents: 0);
        var rotation = fleet.Keys.Policy(2, ["alice"], 1,
            [new EnvironmentRuleSpec("staging", ["alice", "carol"], 1), new EnvironmentRuleSpec("production", ["alice", "bob"], 2)], "alice");
        await new TrustService.TrustServiceClient(fleet.Controller.Channel()).SetTrustPolicyAsync(
            new SetTrustPolicyRequest { Envelope = ByteString.CopyFrom(rotation) }, fleet.Admin, cancellationToken: TestContext.Current.CancellationToken);
        return fleet;
    }

    private static async Task<SubmitReleaseResponse> SubmitAsync(RolloutFixture fleet, byte[] envelope, bool supersede = false) =>
        await fleet.Releases.SubmitReleaseAsync(new SubmitReleaseRequest { Envelope = ByteString.CopyFrom(envelope), Supersede = supersede }, fleet.Admin,
            cancellationToken: TestContext.Current.CancellationToken);

    private static async Task<ApproveReleaseResponse> ApproveAsync(RolloutFixture fleet, string releaseId, string signer)
    {
        var stored = await StoredEnvelopeAsync(fleet, releaseId);
        var approval = Dsse.Sign(ReleaseManifest.PayloadType, stored.Payload, [fleet.Keys[signer]]).ToJson();
        return await fleet.Releases.ApproveReleaseAsync(new ApproveReleaseRequest { ReleaseId = releaseId, Envelope = ByteString.CopyFrom(approval) }, fleet.Admin,
            cancellationToken: TestContext.Current.CancellationToken);
    }

    private static async Task<DsseEnvelope> StoredEnvelopeAsync(RolloutFixture fleet, string releaseId) =>
        DsseEnvelope.Parse((byte[])(await fleet.Controller.Database.ScalarAsync("select envelope from releases where id = $1", releaseId))!, ReleaseManifest.PayloadType);

    private static async Task<long> NextSequenceAsync(RolloutFixture fleet, string environment = "production") =>
        (await fleet.Releases.GetNextSequenceAsync(new GetNextSequenceRequest { App = "shop", Environment = environment }, fleet.Admin,
            cancellationToken: TestContext.Current.CancellationToken)).Sequence;
}
