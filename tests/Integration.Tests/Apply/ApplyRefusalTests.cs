using Fleet.Contracts.V1;
using Fleet.Core.Releases;

namespace Fleet.Integration.Tests.Apply;

/// <summary>Each refused release leaves v1 serving, untouched: same container, same journal.</summary>
public sealed class ApplyRefusalTests
{
    [Fact]
    public async Task HandleAsync_OnePayloadByteChanged_RefusedAndNothingApplied()
    {
        await using var h = await WithV1Async();
        var envelope = h.Sign(h.Manifest(2, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2")), "alice");
        var payload = envelope.Payload.ToArray();
        payload[payload.Length / 2] ^= 0x01;

        await AssertRefusedAsync(h, h.Apply(2, (envelope with { Payload = payload }).ToJson()), ReleaseRefusalCode.NoTrustedSignature);
    }

    [Fact]
    public async Task HandleAsync_SignedByUnknownKey_RefusedAndNothingApplied()
    {
        await using var h = await WithV1Async();
        var manifest = h.Manifest(2, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"));

        await AssertRefusedAsync(h, h.Apply(manifest, h.Sign(manifest, "mallory")), ReleaseRefusalCode.NoTrustedSignature);
    }

    [Fact]
    public async Task HandleAsync_ProductionWithOneOfTwoSignatures_RefusedAndNothingApplied()
    {
        await using var h = await WithV1Async("production", "alice", "bob");
        var manifest = h.Manifest(2, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"), "production");

        await AssertRefusedAsync(h, h.Apply(manifest, h.Sign(manifest, "alice")), ReleaseRefusalCode.ThresholdNotMet);
    }

    [Fact]
    public async Task HandleAsync_ReplayedAndOlderSequence_BothRefusedAndNothingApplied()
    {
        await using var h = await WithV1Async(sequence: 5);
        var replay = h.Manifest(5, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"));
        var older = h.Manifest(4, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"));

        await AssertRefusedAsync(h, h.Apply(replay, h.Sign(replay, "alice")), ReleaseRefusalCode.SequenceNotNewer);
        await AssertRefusedAsync(h, h.Apply(older, h.Sign(older, "alice")), ReleaseRefusalCode.SequenceNotNewer);
    }

    [Fact]
    public async Task HandleAsync_Expired_RefusedAndNothingApplied()
    {
        await using var h = await WithV1Async();
        var expired = ReleaseManifest.Create(
            h.Definition(ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2")), "staging", 2, TimeProvider.System.GetUtcNow().AddHours(-2), TimeSpan.FromHours(1));

        await AssertRefusedAsync(h, h.Apply(expired, h.Sign(expired, "alice")), ReleaseRefusalCode.Expired);
    }

    [Fact]
    public async Task HandleAsync_TagOnlyImage_RefusedAndNothingApplied()
    {
        await using var h = await WithV1Async();
        var pinned = ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2");
        var tagged = new ReleaseManifest
        {
            Environment = "staging",
            Sequence = 2,
            CreatedAt = TimeProvider.System.GetUtcNow(),
            ExpiresAt = TimeProvider.System.GetUtcNow().AddHours(1),
            Release = h.Definition(pinned[..pinned.IndexOf('@', StringComparison.Ordinal)] + ":latest"),
        };

        await AssertRefusedAsync(h, h.Apply(tagged, h.Sign(tagged, "alice")), ReleaseRefusalCode.ImageNotPinned);
    }

    [Fact]
    public async Task HandleAsync_OtherEnvironment_RefusedAndNothingApplied()
    {
        await using var h = await WithV1Async();
        var manifest = h.Manifest(2, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"), "production");

        await AssertRefusedAsync(h, h.Apply(manifest, h.Sign(manifest, "alice", "bob")), ReleaseRefusalCode.EnvironmentMismatch);
    }

    [Fact]
    public async Task HandleAsync_RegistryHasNoImageWithTheSignedDigest_FailsAtPullAndNothingApplied()
    {
        await using var h = await WithV1Async();
        var good = ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD_V2");
        var otherDigest = ApplyHarness.Image("FLEET_TEST_IMAGE_BAD");
        var mismatched = good[..good.IndexOf('@', StringComparison.Ordinal)] + otherDigest[otherDigest.IndexOf('@', StringComparison.Ordinal)..];
        var manifest = h.Manifest(2, mismatched);
        var before = h.Applied();
        var container = Assert.Single(await h.ContainersAsync());

        var events = await h.HandleAsync(h.Apply(manifest, h.Sign(manifest, "alice")));

        var failed = Assert.Single(events, e => e.Kind != AgentEventKind.Progress);
        Assert.Equal(AgentEventKind.Failed, failed.Kind);
        Assert.Contains("pull of", failed.Detail, StringComparison.Ordinal);
        Assert.Contains(mismatched, failed.Detail, StringComparison.Ordinal);
        await AssertUntouchedAsync(h, before, container);
    }

    private static async Task<ApplyHarness> WithV1Async(string environment = "staging", string signer = "alice", string? second = null, long sequence = 1)
    {
        var h = new ApplyHarness(environment);
        var v1 = h.Manifest(sequence, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD"), environment);
        var events = await h.HandleAsync(h.Apply(v1, h.Sign(v1, second is null ? [signer] : [signer, second])));
        Assert.Contains(events, e => e.Kind == AgentEventKind.Healthy);
        return h;
    }

    private static async Task AssertRefusedAsync(ApplyHarness h, ReleaseAssignment assignment, ReleaseRefusalCode code)
    {
        var before = h.Applied();
        var container = Assert.Single(await h.ContainersAsync());

        var events = await h.HandleAsync(assignment);

        var refused = Assert.Single(events);
        Assert.Equal(AgentEventKind.Refused, refused.Kind);
        Assert.Equal(code.ToString(), refused.Step);
        Assert.False(string.IsNullOrWhiteSpace(refused.Detail));
        await AssertUntouchedAsync(h, before, container);
    }

    private static async Task AssertUntouchedAsync(ApplyHarness h, Fleet.Agent.Deploy.SlotRecord? before, Fleet.Agent.Deploy.ContainerSummary container)
    {
        Assert.Equal(before, h.Applied());
        Assert.Null(h.Journal.Get(h.App, "web")!.Pending);
        Assert.Equal(container.Id, Assert.Single(await h.ContainersAsync()).Id);
        Assert.Equal("v1", await h.VersionAsync());
    }
}
