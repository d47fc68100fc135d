using Fleet.Core.Releases;

namespace Fleet.Core.Trust;

/// <summary>
/// Verifies a release envelope against a trust policy before anything in the payload is believed.
/// The environment that decides which keys count is inside the payload, so verification runs in
/// two steps: (1) signatures are checked against <em>every</em> key of the policy, and the payload
/// is parsed only when at least one of them verifies; (2) after parsing, only the verified keys
/// that belong to the manifest's environment are counted against its threshold. Unsigned or
/// foreign-signed bytes therefore never reach the JSON parser, and a key trusted for staging
/// cannot add weight to a production release. Key ids are hints only (see <see cref="DsseVerifier"/>).
/// The validity window is checked here too, so the controller and every agent apply the same rule:
/// created_at no later than <see cref="MaxClockSkew"/> ahead of the verifier's clock, and
/// expires_at − created_at no longer than the environment's max validity in the policy.
/// </summary>
public static class ReleaseVerifier
{
    /// <summary>How far a release's created_at may be ahead of the verifier's clock (clocks of operators and hosts differ a little).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static ReleaseVerification Verify(ReadOnlySpan<byte> envelopeJson, TrustPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.IsExpired(now))
        {
            return ReleaseVerification.Refuse(ReleaseRefusalCode.TrustPolicyExpired,
                $"trust policy v{policy.Version} expired at {policy.ExpiresAt:O}; install a new one");
        }

        DsseEnvelope envelope;
        try
        {
            envelope = DsseEnvelope.Parse(envelopeJson, ReleaseManifest.PayloadType);
        }
        catch (DsseFormatException ex)
        {
            return ReleaseVerification.Refuse(ex.TooLarge ? ReleaseRefusalCode.EnvelopeTooLarge : ReleaseRefusalCode.EnvelopeMalformed, ex.Message);
        }

        var signers = DsseVerifier.VerifiedSigners(envelope, policy.Keys.Values.Select(k => k.PublicKey));
        if (signers.Count == 0)
        {
            return ReleaseVerification.Refuse(ReleaseRefusalCode.NoTrustedSignature,
                $"none of the {envelope.Signatures.Count} signatures verifies with a key of trust policy v{policy.Version}");
        }

        ReleaseManifest manifest;
        try
        {
            manifest = ReleaseManifest.Parse(envelope.Payload);
        }
        catch (ReleaseValidationException ex)
        {
            return ReleaseVerification.Refuse(ReleaseRefusalCode.ManifestMalformed, ex.Message);
        }

        if (!policy.Environments.TryGetValue(manifest.Environment, out var rule))
        {
            return ReleaseVerification.Refuse(ReleaseRefusalCode.UnknownEnvironment,
                $"trust policy v{policy.Version} has no rule for environment '{manifest.Environment}'");
        }

        if (ValidityRefusal(manifest, policy, now) is { } refusal)
        {
            return new ReleaseVerification(null, refusal);
        }

        var environmentSigners = signers.Where(rule.KeyIds.Contains).ToHashSet(StringComparer.Ordinal);
        return new ReleaseVerification(new VerifiedRelease(manifest, envelope, environmentSigners, rule), null);
    }

    private static ReleaseRefusal? ValidityRefusal(ReleaseManifest manifest, TrustPolicy policy, DateTimeOffset now)
    {
        var ahead = manifest.CreatedAt - now;
        if (ahead > MaxClockSkew)
        {
            return new ReleaseRefusal(ReleaseRefusalCode.NotYetValid,
                $"the release was created {Duration.Format(ahead)} in the future ({manifest.CreatedAt:O}); " +
                $"at most {Duration.Format(MaxClockSkew)} of clock skew is allowed: check the signer's clock");
        }

        var validity = manifest.ExpiresAt - manifest.CreatedAt;
        var max = policy.MaxValidityFor(manifest.Environment);
        return validity > max
            ? new ReleaseRefusal(ReleaseRefusalCode.ValidityTooLong,
                $"the release is valid for {Duration.Format(validity)}; trust policy v{policy.Version} allows at most " +
                $"{Duration.Format(max)} for '{manifest.Environment}': sign it again with a shorter --ttl")
            : null;
    }
}
