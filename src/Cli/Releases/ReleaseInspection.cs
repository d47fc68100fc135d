using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;

namespace Fleet.Cli.Releases;

/// <summary>
/// What fleetctl itself reads in a release the controller serves: the signed payload decoded, and
/// its signatures checked against the operator's own trust policy, never the controller's word.
/// <see cref="Problems"/> lists every reason not to sign it (empty when there is none); the
/// expiry is checked by the caller, since a running release may well be past it.
/// </summary>
internal sealed class ReleaseInspection
{
    private ReleaseInspection(DsseEnvelope? envelope, ReleaseManifest? manifest, IReadOnlyList<SignatureCheck> signatures, ThresholdRule? rule, List<string> problems)
    {
        Envelope = envelope;
        Manifest = manifest;
        Signatures = signatures;
        Rule = rule;
        Problems = problems;
    }

    public DsseEnvelope? Envelope { get; }

    public ReleaseManifest? Manifest { get; }

    public IReadOnlyList<SignatureCheck> Signatures { get; }

    /// <summary>The rule of the operator's trust policy for the manifest's environment.</summary>
    public ThresholdRule? Rule { get; }

    public IReadOnlySet<string> Signers => Signatures.Where(s => s.Counts).Select(s => s.VerifiedBy!.KeyId).ToHashSet(StringComparer.Ordinal);

    public bool ThresholdMet => Rule is not null && Rule.IsMetBy(Signers);

    public List<string> Problems { get; }

    public static ReleaseInspection Inspect(Release stored, SignedTrustPolicy? trust, string trustPolicyPath)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var problems = new List<string>();
        DsseEnvelope envelope;
        try
        {
            envelope = DsseEnvelope.Parse(stored.Envelope.Span, ReleaseManifest.PayloadType);
        }
        catch (DsseFormatException ex)
        {
            problems.Add($"its envelope does not parse: {ex.Message}");
            return new ReleaseInspection(null, null, [], null, problems);
        }

        ReleaseManifest? manifest = null;
        try
        {
            manifest = ReleaseManifest.Parse(envelope.Payload);
        }
        catch (ReleaseValidationException ex)
        {
            problems.Add($"its signed payload is not a valid release: {ex.Message}");
        }

        if (manifest is not null && (manifest.App != stored.App || manifest.Environment != stored.Environment || manifest.Sequence != stored.Sequence))
        {
            problems.Add($"the controller lists it as {stored.App}/{stored.Environment} #{stored.Sequence}, " +
                $"but its signed payload is {manifest.App}/{manifest.Environment} #{manifest.Sequence}");
        }

        if (trust is null)
        {
            problems.Add($"its signatures were not checked: there is no trust policy at {trustPolicyPath}; pass --trust-policy FILE or run fleetctl trust push FILE once");
            return new ReleaseInspection(envelope, manifest, [.. envelope.Signatures.Select(s => new SignatureCheck(s.KeyId, null, false))], null, problems);
        }

        var policy = trust.Policy;
        ThresholdRule? rule = null;
        if (manifest is not null && !policy.Environments.TryGetValue(manifest.Environment, out rule))
        {
            problems.Add($"your trust policy v{policy.Version} has no rule for environment '{manifest.Environment}'");
        }

        var signatures = CheckSignatures(envelope, policy, rule);
        var unverified = signatures.Count(s => s.VerifiedBy is null);
        if (unverified > 0)
        {
            problems.Add($"{unverified} of its {signatures.Count} signatures do not verify with a key of your trust policy v{policy.Version}, or repeat a signer");
        }

        if (rule is not null)
        {
            problems.AddRange(signatures.Where(s => s.VerifiedBy is not null && !s.Counts)
                .Select(s => $"the signature by {s.VerifiedBy!.Name} does not count for '{manifest!.Environment}' in your trust policy v{policy.Version}"));
            var counted = signatures.Where(s => s.Counts).Select(s => s.VerifiedBy!.KeyId).ToHashSet(StringComparer.Ordinal);
            if (counted.Count == 0)
            {
                problems.Add($"no key that your trust policy v{policy.Version} trusts for '{manifest!.Environment}' signed it");
            }

            if (!counted.SetEquals(stored.Signers))
            {
                problems.Add($"the controller claims signers {Names(policy, stored.Signers)}, but the signatures verify for {Names(policy, counted)}");
            }
        }

        return new ReleaseInspection(envelope, manifest, signatures, rule, problems);
    }

    private static List<SignatureCheck> CheckSignatures(DsseEnvelope envelope, TrustPolicy policy, ThresholdRule? rule)
    {
        // Each trusted signature labels the one signature it came from; a copy of it stays unverified.
        var trusted = DsseVerifier.TrustedSignatures(envelope, policy.Keys.Values.Select(k => k.PublicKey)).ToList();
        return [.. envelope.Signatures.Select(signature =>
        {
            var match = trusted.FirstOrDefault(t => t.Signature.AsSpan().SequenceEqual(signature.Signature));
            if (match is null)
            {
                return new SignatureCheck(signature.KeyId, null, false);
            }

            trusted.Remove(match);
            var key = policy.Keys[match.KeyId];
            return new SignatureCheck(signature.KeyId, key, rule is not null && rule.KeyIds.Contains(key.KeyId));
        })];
    }

    private static string Names(TrustPolicy policy, IEnumerable<string> keyIds)
    {
        var names = keyIds.Order(StringComparer.Ordinal).Select(id => policy.Keys.TryGetValue(id, out var key) ? key.Name : id).ToList();
        return names.Count == 0 ? "(none)" : string.Join(", ", names);
    }
}
