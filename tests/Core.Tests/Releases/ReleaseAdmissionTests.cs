using System.Text;
using Fleet.Core.Releases;
using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Releases;

public sealed class ReleaseAdmissionTests : IDisposable
{
    private static readonly AgentTarget StagingWeb = Agent("staging");
    private static readonly AgentTarget ProductionWeb = Agent("production");
    private readonly TestTrust _trust = new();
    private readonly Dictionary<AppEnvironment, long> _lastApplied = [];

    [Fact]
    public void Admit_StagingReleaseSignedByOneStagingKey_Accepted()
    {
        var decision = Admit(TestTrust.Manifest().Sign([_trust.Carol]).ToJson(), StagingWeb);

        Assert.True(decision.IsAccepted, decision.Refusal?.ToString());
        Assert.Equal(5, decision.Accepted!.Manifest.Sequence);
        Assert.Equal([_trust.Carol.KeyId], decision.Accepted.Signers);
    }

    [Fact]
    public void Admit_ProductionReleaseSignedByTwoProductionKeys_Accepted()
    {
        var decision = Admit(TestTrust.Manifest("production").Sign([_trust.Alice, _trust.Bob]).ToJson(), ProductionWeb);

        Assert.True(decision.IsAccepted, decision.Refusal?.ToString());
    }

    [Fact]
    public void Admit_OnePayloadByteChanged_RefusedBeforeParsing()
    {
        var envelope = TestTrust.Manifest().Sign([_trust.Alice]);
        var payload = envelope.Payload.ToArray();
        payload[Array.IndexOf(payload, (byte)'5')] = (byte)'6';

        var decision = Admit((envelope with { Payload = payload }).ToJson(), StagingWeb);

        AssertRefused(ReleaseRefusalCode.NoTrustedSignature, decision);
    }

    [Fact]
    public void Admit_SignedByUnknownKey_Refused()
    {
        var decision = Admit(TestTrust.Manifest().Sign([_trust.Dave]).ToJson(), StagingWeb);

        AssertRefused(ReleaseRefusalCode.NoTrustedSignature, decision);
    }

    [Fact]
    public void Admit_UnsignedGarbagePayload_RefusedAsUntrustedNotAsMalformed()
    {
        var envelope = new DsseEnvelope(ReleaseManifest.PayloadType, "not json at all"u8.ToArray(), []);

        AssertRefused(ReleaseRefusalCode.NoTrustedSignature, Admit(envelope.ToJson(), StagingWeb));
    }

    [Fact]
    public void Admit_ProductionWithOneOfTwoSignatures_RefusedThresholdNotMet()
    {
        var decision = Admit(TestTrust.Manifest("production").Sign([_trust.Alice]).ToJson(), ProductionWeb);

        AssertRefused(ReleaseRefusalCode.ThresholdNotMet, decision);
        Assert.Contains("1 of the keys trusted for 'production' signed; 2 required", decision.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_ProductionSignedTwiceBySameKey_CountsOnceAndRefused()
    {
        var decision = Admit(TestTrust.Manifest("production").Sign([_trust.Alice, _trust.Alice]).ToJson(), ProductionWeb);

        AssertRefused(ReleaseRefusalCode.ThresholdNotMet, decision);
    }

    [Fact]
    public void Admit_ProductionSignedByProductionKeyAndStagingOnlyKey_StagingKeyDoesNotCount()
    {
        var decision = Admit(TestTrust.Manifest("production").Sign([_trust.Alice, _trust.Carol]).ToJson(), ProductionWeb);

        AssertRefused(ReleaseRefusalCode.ThresholdNotMet, decision);
    }

    [Fact]
    public void Admit_UnknownKeyClaimingProductionKeyId_DoesNotCount()
    {
        var envelope = TestTrust.Manifest("production").Sign([_trust.Alice, _trust.Dave]);
        var lying = envelope with { Signatures = [envelope.Signatures[0], envelope.Signatures[1] with { KeyId = _trust.Bob.KeyId }] };

        AssertRefused(ReleaseRefusalCode.ThresholdNotMet, Admit(lying.ToJson(), ProductionWeb));
    }

    [Fact]
    public void Admit_ReplayedSequence_Refused()
    {
        _lastApplied[new AppEnvironment("shop", "staging")] = 5;

        var decision = Admit(TestTrust.Manifest(sequence: 5).Sign([_trust.Alice]).ToJson(), StagingWeb);

        AssertRefused(ReleaseRefusalCode.SequenceNotNewer, decision);
        Assert.Contains("a replay of", decision.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_OlderSequence_Refused()
    {
        _lastApplied[new AppEnvironment("shop", "staging")] = 7;

        var decision = Admit(TestTrust.Manifest(sequence: 5).Sign([_trust.Alice]).ToJson(), StagingWeb);

        AssertRefused(ReleaseRefusalCode.SequenceNotNewer, decision);
        Assert.Contains("older than", decision.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_HigherSequenceThanOtherAppsAndEnvironments_Accepted()
    {
        _lastApplied[new AppEnvironment("shop", "staging")] = 4;
        _lastApplied[new AppEnvironment("shop", "production")] = 90;
        _lastApplied[new AppEnvironment("blog", "staging")] = 90;

        Assert.True(Admit(TestTrust.Manifest(sequence: 5).Sign([_trust.Alice]).ToJson(), StagingWeb).IsAccepted);
    }

    [Fact]
    public void Admit_AtExpiry_RefusedExpired()
    {
        var manifest = TestTrust.Manifest() with { ExpiresAt = TestTrust.Now };

        AssertRefused(ReleaseRefusalCode.Expired, Admit(manifest.Sign([_trust.Alice]).ToJson(), StagingWeb));
    }

    [Fact]
    public void Admit_TagOnlyServiceImage_RefusedNamingTheImage()
    {
        var manifest = TestTrust.Manifest(image: "127.0.0.1:5000/shop/web:1.2");

        var decision = Admit(manifest.Sign([_trust.Alice]).ToJson(), StagingWeb);

        AssertRefused(ReleaseRefusalCode.ImageNotPinned, decision);
        Assert.Contains("services.web.image = 127.0.0.1:5000/shop/web:1.2", decision.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_TagOnlyHookImage_Refused()
    {
        var manifest = TestTrust.Manifest();
        manifest = manifest with { Release = manifest.Release with { Hooks = [manifest.Release.Hooks[0] with { Image = "busybox:latest" }] } };

        var decision = Admit(manifest.Sign([_trust.Alice]).ToJson(), StagingWeb);

        AssertRefused(ReleaseRefusalCode.ImageNotPinned, decision);
        Assert.Contains("hooks.pre_deploy.migrate.image", decision.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_AgentOfAnotherEnvironment_Refused()
    {
        var decision = Admit(TestTrust.Manifest("staging").Sign([_trust.Alice]).ToJson(), ProductionWeb);

        AssertRefused(ReleaseRefusalCode.EnvironmentMismatch, decision);
    }

    [Fact]
    public void Admit_AgentLackingTargetLabel_Refused()
    {
        var agent = new AgentTarget("staging", new Dictionary<string, string> { ["role"] = "db", ["zone"] = "a" });

        var decision = Admit(TestTrust.Manifest().Sign([_trust.Alice]).ToJson(), agent);

        AssertRefused(ReleaseRefusalCode.LabelsMismatch, decision);
        Assert.Contains("role=web", decision.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_OversizedEnvelope_Refused()
    {
        var json = Encoding.UTF8.GetBytes(
            $"{{\"payloadType\":\"{ReleaseManifest.PayloadType}\",\"payload\":\"{new string('A', DsseEnvelope.MaxEnvelopeBytes)}\",\"signatures\":[]}}");

        AssertRefused(ReleaseRefusalCode.EnvelopeTooLarge, Admit(json, StagingWeb));
    }

    [Fact]
    public void Admit_OversizedPayload_Refused()
    {
        var envelope = Dsse.Sign(ReleaseManifest.PayloadType, new byte[DsseEnvelope.MaxPayloadBytes + 1], [_trust.Alice]);

        AssertRefused(ReleaseRefusalCode.EnvelopeTooLarge, Admit(envelope.ToJson(), StagingWeb));
    }

    [Fact]
    public void Admit_TrustPolicyEnvelopeOfferedAsRelease_RefusedWrongType()
    {
        var json = _trust.Policy().Sign([_trust.Alice, _trust.Bob]).ToJson();

        AssertRefused(ReleaseRefusalCode.EnvelopeMalformed, Admit(json, StagingWeb));
    }

    [Fact]
    public void Admit_SignedPayloadThatIsNotAManifest_RefusedMalformed()
    {
        var envelope = Dsse.Sign(ReleaseManifest.PayloadType, "{\"environment\":\"staging\"}"u8.ToArray(), [_trust.Alice]);

        AssertRefused(ReleaseRefusalCode.ManifestMalformed, Admit(envelope.ToJson(), StagingWeb));
    }

    [Fact]
    public void Admit_EnvironmentMissingFromPolicy_Refused()
    {
        var decision = Admit(TestTrust.Manifest("qa").Sign([_trust.Alice]).ToJson(), Agent("qa"));

        AssertRefused(ReleaseRefusalCode.UnknownEnvironment, decision);
    }

    [Fact]
    public void Admit_TrustPolicyExpired_Refused()
    {
        var policy = _trust.Policy(expiresAt: TestTrust.Now.AddDays(-1));

        var decision = ReleaseAdmission.Admit(TestTrust.Manifest().Sign([_trust.Alice]).ToJson(), policy, StagingWeb, _lastApplied, TestTrust.Now);

        AssertRefused(ReleaseRefusalCode.TrustPolicyExpired, decision);
    }

    [Fact]
    public void Verify_ProductionWithOneSignature_VerifiedButThresholdNotMetForLaterApproval()
    {
        var verification = ReleaseVerifier.Verify(TestTrust.Manifest("production").Sign([_trust.Alice]).ToJson(), _trust.Policy(), TestTrust.Now);

        Assert.NotNull(verification.Release);
        Assert.False(verification.Release.ThresholdMet);

        var approved = verification.Release.Envelope.AddSignature(_trust.Bob);
        Assert.True(ReleaseVerifier.Verify(approved.ToJson(), _trust.Policy(), TestTrust.Now).Release!.ThresholdMet);
    }

    [Fact]
    public void Verify_JunkDuplicateForeignAndUnknownSignatures_EnvelopeKeepsOnePerEnvironmentKey()
    {
        var envelope = TestTrust.Manifest("production").Sign([_trust.Alice, _trust.Alice, _trust.Carol, _trust.Dave]);
        var junk = Enumerable.Range(0, 10).Select(i => new DsseSignature(_trust.Bob.KeyId, [(byte)i, 1, 2, 3]));
        var noisy = envelope with { Signatures = [.. junk, .. envelope.Signatures] };

        var release = ReleaseVerifier.Verify(noisy.ToJson(), _trust.Policy(), TestTrust.Now).Release!;

        var kept = Assert.Single(release.Envelope.Signatures);
        Assert.Equal(_trust.Alice.KeyId, kept.KeyId);
        Assert.Equal([_trust.Alice.KeyId], release.Signers);
        Assert.True(ReleaseVerifier.Verify(release.Envelope.AddSignature(_trust.Bob).ToJson(), _trust.Policy(), TestTrust.Now).Release!.ThresholdMet);
    }

    private AdmissionDecision Admit(byte[] envelopeJson, AgentTarget agent) =>
        ReleaseAdmission.Admit(envelopeJson, _trust.Policy(), agent, _lastApplied, TestTrust.Now);

    private static AgentTarget Agent(string environment) =>
        new(environment, new Dictionary<string, string> { ["role"] = "web", ["zone"] = "a" });

    private static void AssertRefused(ReleaseRefusalCode code, AdmissionDecision decision)
    {
        Assert.False(decision.IsAccepted);
        Assert.Null(decision.Accepted);
        Assert.Equal(code, decision.Refusal?.Code);
        Assert.False(string.IsNullOrWhiteSpace(decision.Refusal!.Message));
    }

    public void Dispose() => _trust.Dispose();
}
