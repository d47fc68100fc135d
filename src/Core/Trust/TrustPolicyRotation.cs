namespace Fleet.Core.Trust;

/// <summary>
/// Decides whether a candidate policy may replace the installed one (pure; no disk, no clock).
/// A rotation needs a threshold of the <em>current</em> root keys, checked before the candidate's
/// payload is parsed, and, as TUF does for root rotation, a threshold of the candidate's own
/// root keys, so that a policy nobody can rotate again is never installed. The version must
/// strictly increase. With no policy installed, the candidate is trusted on first use only when
/// the caller says so explicitly (<c>allowFirstInstall</c>): an operator installing it by hand.
/// </summary>
public static class TrustPolicyRotation
{
    public static TrustPolicyDecision Evaluate(
        SignedTrustPolicy? current, ReadOnlySpan<byte> candidateJson, bool allowFirstInstall, DateTimeOffset now)
    {
        DsseEnvelope envelope;
        try
        {
            envelope = DsseEnvelope.Parse(candidateJson, TrustPolicy.PayloadType);
        }
        catch (DsseFormatException ex)
        {
            return TrustPolicyDecision.Refuse(TrustPolicyRefusalCode.Malformed, ex.Message);
        }

        if (current is null && !allowFirstInstall)
        {
            return TrustPolicyDecision.Refuse(
                TrustPolicyRefusalCode.FirstInstallNotAllowed,
                "no trust policy is installed; the first one must be installed explicitly by an operator");
        }

        if (current is not null)
        {
            var currentSigners = DsseVerifier.VerifiedSigners(envelope, current.Policy.RootKeys);
            if (!current.Policy.Root.IsMetBy(currentSigners))
            {
                return TrustPolicyDecision.Refuse(
                    TrustPolicyRefusalCode.NotSignedByCurrentRoots,
                    $"new trust policy is signed by {current.Policy.Root.CountSigners(currentSigners)} of the current root keys; " +
                    $"{current.Policy.Root.Threshold} required");
            }
        }

        TrustPolicy candidate;
        try
        {
            candidate = TrustPolicy.ParsePayload(envelope.Payload);
        }
        catch (DsseFormatException ex)
        {
            return TrustPolicyDecision.Refuse(TrustPolicyRefusalCode.Malformed, ex.Message);
        }

        var ownSigners = DsseVerifier.VerifiedSigners(envelope, candidate.RootKeys);
        if (!candidate.Root.IsMetBy(ownSigners))
        {
            return TrustPolicyDecision.Refuse(
                TrustPolicyRefusalCode.NotSignedByOwnRoots,
                $"trust policy v{candidate.Version} is signed by {candidate.Root.CountSigners(ownSigners)} of its own root keys; " +
                $"{candidate.Root.Threshold} required");
        }

        if (candidate.IsExpired(now))
        {
            return TrustPolicyDecision.Refuse(
                TrustPolicyRefusalCode.Expired, $"trust policy v{candidate.Version} expired at {candidate.ExpiresAt:O}");
        }

        if (current is not null && candidate.Version <= current.Policy.Version)
        {
            return TrustPolicyDecision.Refuse(
                TrustPolicyRefusalCode.VersionNotHigher,
                $"trust policy v{candidate.Version} is not newer than the installed v{current.Policy.Version}");
        }

        var accepted = new SignedTrustPolicy(candidate, envelope);
        return current is null
            ? TrustPolicyDecision.Accept(accepted, $"trust policy v{candidate.Version} installed (trusted on first install)")
            : TrustPolicyDecision.Accept(accepted, $"trust policy rotated from v{current.Policy.Version} to v{candidate.Version}");
    }
}
