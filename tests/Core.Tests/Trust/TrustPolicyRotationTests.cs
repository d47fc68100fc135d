using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

public sealed class TrustPolicyRotationTests : IDisposable
{
    private readonly TestTrust _trust = new();

    [Fact]
    public void Evaluate_FirstInstallAllowed_AcceptedAsTrustOnFirstUse()
    {
        var json = _trust.Policy().Sign([_trust.Alice, _trust.Bob]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(null, json, allowFirstInstall: true, TestTrust.Now);

        Assert.True(decision.IsAccepted, decision.Message);
        Assert.Equal(1, decision.Accepted!.Policy.Version);
        Assert.Contains("first install", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_FirstInstallNotAllowed_Refused()
    {
        var json = _trust.Policy().Sign([_trust.Alice, _trust.Bob]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(null, json, allowFirstInstall: false, TestTrust.Now);

        Assert.Equal(TrustPolicyRefusalCode.FirstInstallNotAllowed, decision.Refusal);
    }

    [Fact]
    public void Evaluate_FirstInstallBelowItsOwnRootThreshold_Refused()
    {
        var json = _trust.Policy().Sign([_trust.Alice]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(null, json, allowFirstInstall: true, TestTrust.Now);

        Assert.Equal(TrustPolicyRefusalCode.NotSignedByOwnRoots, decision.Refusal);
    }

    [Fact]
    public void Evaluate_RotationSignedByThresholdOfCurrentRoots_Accepted()
    {
        var current = Installed(_trust.Policy(version: 1));
        var json = _trust.Policy(version: 2).Sign([_trust.Alice, _trust.Bob]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(current, json, allowFirstInstall: false, TestTrust.Now);

        Assert.True(decision.IsAccepted, decision.Message);
        Assert.Equal(2, decision.Accepted!.Policy.Version);
        Assert.Contains("from v1 to v2", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RotationSignedByOneOfTwoCurrentRoots_Refused()
    {
        var current = Installed(_trust.Policy(version: 1));
        var json = _trust.Policy(version: 2, roots: [_trust.Alice], rootThreshold: 1).Sign([_trust.Alice]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(current, json, allowFirstInstall: false, TestTrust.Now);

        Assert.Equal(TrustPolicyRefusalCode.NotSignedByCurrentRoots, decision.Refusal);
        Assert.Contains("signed by 1 of the current root keys; 2 required", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RotationSignedOnlyByItsNewRootKeys_Refused()
    {
        var current = Installed(_trust.Policy(version: 1));
        var json = _trust.Policy(version: 2, roots: [_trust.Carol, _trust.Dave], rootThreshold: 2).Sign([_trust.Carol, _trust.Dave]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(current, json, allowFirstInstall: true, TestTrust.Now);

        Assert.Equal(TrustPolicyRefusalCode.NotSignedByCurrentRoots, decision.Refusal);
        Assert.Contains("signed by 0 of the current root keys", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RotationToNewRootsSignedByOldAndNewRoots_Accepted()
    {
        var current = Installed(_trust.Policy(version: 1));
        var json = _trust.Policy(version: 2, roots: [_trust.Carol, _trust.Dave], rootThreshold: 2)
            .Sign([_trust.Alice, _trust.Bob, _trust.Carol, _trust.Dave]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(current, json, allowFirstInstall: false, TestTrust.Now);

        Assert.True(decision.IsAccepted, decision.Message);
        Assert.True(decision.Accepted!.Policy.Root.KeyIds.SetEquals([_trust.Carol.KeyId, _trust.Dave.KeyId]));
    }

    [Fact]
    public void Evaluate_RotationToNewRootsWithoutTheirSignatures_RefusedAsUnrotatable()
    {
        var current = Installed(_trust.Policy(version: 1));
        var json = _trust.Policy(version: 2, roots: [_trust.Carol, _trust.Dave], rootThreshold: 2).Sign([_trust.Alice, _trust.Bob]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(current, json, allowFirstInstall: false, TestTrust.Now);

        Assert.Equal(TrustPolicyRefusalCode.NotSignedByOwnRoots, decision.Refusal);
    }

    [Fact]
    public void Evaluate_OneRootSigningTwice_CountsOnceAndRefused()
    {
        var current = Installed(_trust.Policy(version: 1));
        var json = _trust.Policy(version: 2).Sign([_trust.Alice, _trust.Alice]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(current, json, allowFirstInstall: false, TestTrust.Now);

        Assert.Equal(TrustPolicyRefusalCode.NotSignedByCurrentRoots, decision.Refusal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void Evaluate_VersionNotHigher_Refused(long delta)
    {
        var current = Installed(_trust.Policy(version: 5));
        var json = _trust.Policy(version: 4 + delta).Sign([_trust.Alice, _trust.Bob]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(current, json, allowFirstInstall: false, TestTrust.Now);

        Assert.Equal(TrustPolicyRefusalCode.VersionNotHigher, decision.Refusal);
    }

    [Fact]
    public void Evaluate_ExpiredCandidate_Refused()
    {
        var json = _trust.Policy(expiresAt: TestTrust.Now.AddSeconds(-1)).Sign([_trust.Alice, _trust.Bob]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(null, json, allowFirstInstall: true, TestTrust.Now);

        Assert.Equal(TrustPolicyRefusalCode.Expired, decision.Refusal);
    }

    [Fact]
    public void Evaluate_ReleaseEnvelopeOfferedAsPolicy_RefusedAsMalformed()
    {
        var json = TestTrust.Manifest().Sign([_trust.Alice, _trust.Bob]).ToJson();

        var decision = TrustPolicyRotation.Evaluate(null, json, allowFirstInstall: true, TestTrust.Now);

        Assert.Equal(TrustPolicyRefusalCode.Malformed, decision.Refusal);
    }

    private SignedTrustPolicy Installed(TrustPolicy policy) =>
        SignedTrustPolicy.Open(policy.Sign([_trust.Alice, _trust.Bob]).ToJson());

    public void Dispose() => _trust.Dispose();
}
