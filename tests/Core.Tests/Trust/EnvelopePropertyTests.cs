using CsCheck;
using Fleet.Core.Releases;
using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

/// <summary>Envelope parsing and the threshold rule on random input: nothing but the documented refusals, ever.</summary>
public sealed class EnvelopePropertyTests : IDisposable
{
    private readonly TestTrust _trust = new();

    [Fact]
    public void Parse_RandomBytes_ParsesOrThrowsDsseFormatExceptionOnly() =>
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            try
            {
                DsseEnvelope.Parse(bytes, ReleaseManifest.PayloadType);
            }
            catch (DsseFormatException)
            {
            }
        }, iter: 2_000);

    [Fact]
    public void Verify_ValidEnvelopeWithRandomByteChanges_NeverThrowsAndNeverAcceptsAChangedPayload()
    {
        var original = TestTrust.Manifest().Sign([_trust.Alice]);
        var json = original.ToJson();
        Gen.Select(Gen.Int[0, json.Length - 1], Gen.Byte, Gen.Int[1, 3]).Sample((position, value, count) =>
        {
            var mutated = (byte[])json.Clone();
            for (var i = 0; i < count; i++)
            {
                mutated[(position + (i * 7)) % mutated.Length] = value;
            }

            var verification = ReleaseVerifier.Verify(mutated, _trust.Policy(), TestTrust.Now);

            if (verification.Release is { } release)
            {
                Assert.Equal(original.Payload, release.Envelope.Payload);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(verification.Refusal!.Message));
            }
        }, iter: 1_000, threads: 1);
    }

    [Fact]
    public void ToJson_RandomPayloadAndSignatures_RoundTrips() =>
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, 3], Gen.String[0, 20]).Sample((payload, signatures, keyId) =>
        {
            var envelope = new DsseEnvelope(ReleaseManifest.PayloadType, payload,
                [.. Enumerable.Range(0, signatures).Select(i => new DsseSignature(keyId, [(byte)i, 1, 2]))]);

            var parsed = DsseEnvelope.Parse(envelope.ToJson(), ReleaseManifest.PayloadType);

            Assert.Equal(payload, parsed.Payload);
            Assert.Equal(envelope.Signatures.Select(s => (s.KeyId, Convert.ToBase64String(s.Signature))), parsed.Signatures.Select(s => (s.KeyId, Convert.ToBase64String(s.Signature))));
        }, iter: 500);

    [Fact]
    public void ThresholdRule_RandomKeysAndSigners_MetExactlyWhenEnoughDistinctListedKeysSigned() =>
        Gen.Select(Gen.Int[1, 255], Gen.Int[0, 255], Gen.Int[1, 8]).Sample((ruleMask, signerMask, threshold) =>
        {
            var ruleKeys = Ids(ruleMask);
            var signers = Ids(signerMask);
            var rule = new ThresholdRule(ruleKeys, threshold);

            Assert.Equal(ruleKeys.Intersect(signers).Count() >= threshold, rule.IsMetBy(signers));
        }, iter: 2_000);

    [Fact]
    public void Verify_RandomSignerSubsets_ThresholdMetExactlyWhenEnoughDistinctEnvironmentKeysSigned()
    {
        OperatorKey[] keys = [_trust.Alice, _trust.Bob, _trust.Carol, _trust.Dave];
        var policy = _trust.Policy();
        Gen.Select(Gen.OneOf("staging", "production"), Gen.Int[0, 15], Gen.Int[0, 15]).Sample((environment, first, second) =>
        {
            // Two rounds of signing: a key in both rounds signs twice and must count once.
            var signers = keys.Where((_, i) => (first & (1 << i)) != 0).Concat(keys.Where((_, i) => (second & (1 << i)) != 0)).ToList();
            var envelope = TestTrust.Manifest(environment).Sign(signers).ToJson();
            var rule = policy.Environments[environment];
            var distinct = signers.Select(k => k.KeyId).Where(rule.KeyIds.Contains).Distinct(StringComparer.Ordinal).Count();

            var verification = ReleaseVerifier.Verify(envelope, policy, TestTrust.Now);

            if (signers.Count == 0 || signers.All(k => k == _trust.Dave))
            {
                Assert.Equal(ReleaseRefusalCode.NoTrustedSignature, verification.Refusal?.Code);
            }
            else
            {
                Assert.Equal(distinct >= rule.Threshold, verification.Release!.ThresholdMet);
                Assert.Equal(distinct, verification.Release.Signers.Count);
            }
        }, iter: 150, threads: 1);
    }

    private static HashSet<string> Ids(int mask) =>
        [.. Enumerable.Range(0, 8).Where(i => (mask & (1 << i)) != 0).Select(i => "k" + i)];

    public void Dispose() => _trust.Dispose();
}
