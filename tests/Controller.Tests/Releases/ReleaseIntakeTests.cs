using Fleet.Controller.Releases;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Releases;

public sealed class ReleaseIntakeTests : IDisposable
{
    private const string Pinned = "r.example/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly OperatorKey _alice = OperatorKey.Generate("alice");
    private readonly OperatorKey _bob = OperatorKey.Generate("bob");
    private readonly TrustPolicy _policy;

    public ReleaseIntakeTests()
    {
        var known = new[] { _alice, _bob }.Select(k => new OperatorKeyInfo(k.Name, k.KeyId, k.PublicKey)).ToList();
        _policy = TrustPolicyBuilder.Build(1, ["alice"], 1,
            [new EnvironmentRuleSpec("staging", ["bob"], 1), new EnvironmentRuleSpec("production", ["alice", "bob"], 2)], known);
    }

    [Fact]
    public void Verify_ProductionOneOfTwo_AcceptedThresholdNotMet()
    {
        var release = ReleaseIntake.Verify(Envelope("production", Pinned, _alice), _policy, _time.GetUtcNow());

        Assert.False(release.ThresholdMet);
        Assert.Equal([_alice.KeyId], release.Signers);
    }

    [Fact]
    public void Verify_KeyOfAnotherEnvironment_RefusedAsUnknownKey()
    {
        var error = Assert.Throws<RpcException>(() => ReleaseIntake.Verify(Envelope("staging", Pinned, _alice), _policy, _time.GetUtcNow()));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("UnknownKey", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AfterExpiry_Refused()
    {
        var envelope = Envelope("staging", Pinned, _bob);
        _time.Advance(TimeSpan.FromHours(1));

        var error = Assert.Throws<RpcException>(() => ReleaseIntake.Verify(envelope, _policy, _time.GetUtcNow()));

        Assert.Contains("Expired", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_TagOnly_RefusedNamingImage()
    {
        var error = Assert.Throws<RpcException>(() => ReleaseIntake.Verify(Envelope("staging", "r.example/web:1.0", _bob), _policy, _time.GetUtcNow()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("services.web.image = r.example/web:1.0", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ValidForThirtyDays_RefusedValidityTooLongLikeAnAgent()
    {
        var envelope = ReleaseManifest.Create(new ReleaseDefinition { App = "shop", Services = [new ServiceSpec { Name = "web", Image = Pinned }] },
            "staging", 1, _time.GetUtcNow(), TimeSpan.FromDays(30)).Sign([_bob]).ToJson();

        var error = Assert.Throws<RpcException>(() => ReleaseIntake.Verify(envelope, _policy, _time.GetUtcNow()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("ValidityTooLong", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_CreatedAnHourAhead_RefusedNotYetValid()
    {
        var envelope = ReleaseManifest.Create(new ReleaseDefinition { App = "shop", Services = [new ServiceSpec { Name = "web", Image = Pinned }] },
            "staging", 1, _time.GetUtcNow().AddHours(1), TimeSpan.FromHours(1)).Sign([_bob]).ToJson();

        var error = Assert.Throws<RpcException>(() => ReleaseIntake.Verify(envelope, _policy, _time.GetUtcNow()));

        Assert.Contains("NotYetValid", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NoPolicy_FailedPrecondition()
    {
        var error = Assert.Throws<RpcException>(() => ReleaseIntake.Verify(Envelope("staging", Pinned, _bob), null, _time.GetUtcNow()));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Theory]
    [InlineData(3, null)]
    [InlineData(3, 2L)]
    public void RequireNewerSequence_Greater_Accepted(long sequence, long? latest) =>
        ReleaseIntake.RequireNewerSequence(Manifest("staging", Pinned, sequence), latest);

    [Theory]
    [InlineData(3, 3L)]
    [InlineData(2, 3L)]
    public void RequireNewerSequence_NotGreater_Refused(long sequence, long latest)
    {
        var error = Assert.Throws<RpcException>(() => ReleaseIntake.RequireNewerSequence(Manifest("staging", Pinned, sequence), latest));

        Assert.Contains("SequenceNotNewer", error.Status.Detail, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private byte[] Envelope(string environment, string image, OperatorKey signer) =>
        Manifest(environment, image, 1).Sign([signer]).ToJson();

    private ReleaseManifest Manifest(string environment, string image, long sequence) =>
        ReleaseManifest.Create(new ReleaseDefinition { App = "shop", Services = [new ServiceSpec { Name = "web", Image = image }] },
            environment, sequence, _time.GetUtcNow(), TimeSpan.FromMinutes(30));
}
