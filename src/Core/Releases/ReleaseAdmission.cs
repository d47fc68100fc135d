using Fleet.Core.Trust;

namespace Fleet.Core.Releases;

/// <summary>
/// What an agent checks before it acts on a release (pure: no disk, no clock, no network).
/// Checks run in a fixed order and the first failure is reported: signature threshold,
/// environment, target labels, expiry, sequence, image pinning.
/// </summary>
public static class ReleaseAdmission
{
    /// <summary>Verifies <paramref name="envelopeJson"/> against <paramref name="policy"/>, then <see cref="Evaluate"/>s it.</summary>
    public static AdmissionDecision Admit(
        ReadOnlySpan<byte> envelopeJson,
        TrustPolicy policy,
        AgentTarget agent,
        IReadOnlyDictionary<AppEnvironment, long> lastApplied,
        DateTimeOffset now)
    {
        var verification = ReleaseVerifier.Verify(envelopeJson, policy, now);
        return verification.Release is { } release
            ? Evaluate(release, agent, lastApplied, now)
            : new AdmissionDecision(null, verification.Refusal);
    }

    public static AdmissionDecision Evaluate(
        VerifiedRelease release,
        AgentTarget agent,
        IReadOnlyDictionary<AppEnvironment, long> lastApplied,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(lastApplied);
        var manifest = release.Manifest;
        if (!release.ThresholdMet)
        {
            return AdmissionDecision.Refuse(ReleaseRefusalCode.ThresholdNotMet,
                $"{release.Rule.CountSigners(release.Signers)} of the keys trusted for '{manifest.Environment}' signed; " +
                $"{release.Rule.Threshold} required");
        }

        if (!string.Equals(manifest.Environment, agent.Environment, StringComparison.Ordinal))
        {
            return AdmissionDecision.Refuse(ReleaseRefusalCode.EnvironmentMismatch,
                $"the release is for environment '{manifest.Environment}'; this agent is in '{agent.Environment}'");
        }

        var missing = manifest.Release.TargetLabels
            .Where(l => !agent.Labels.TryGetValue(l.Key, out var value) || !string.Equals(value, l.Value, StringComparison.Ordinal))
            .Select(l => $"{l.Key}={l.Value}")
            .ToList();
        if (missing.Count > 0)
        {
            return AdmissionDecision.Refuse(ReleaseRefusalCode.LabelsMismatch,
                $"this agent lacks the target label(s) {string.Join(", ", missing)}");
        }

        if (now >= manifest.ExpiresAt)
        {
            return AdmissionDecision.Refuse(ReleaseRefusalCode.Expired,
                $"the release expired at {manifest.ExpiresAt:O}");
        }

        if (lastApplied.TryGetValue(new AppEnvironment(manifest.App, manifest.Environment), out var last) && manifest.Sequence <= last)
        {
            var what = manifest.Sequence == last ? "a replay of" : "older than";
            return AdmissionDecision.Refuse(ReleaseRefusalCode.SequenceNotNewer,
                $"sequence {manifest.Sequence} is {what} the last applied sequence {last} of {manifest.App}/{manifest.Environment}");
        }

        var unpinned = manifest.Release.Images()
            .Where(i => !ImageReference.TryParse(i.Image, out var reference, out _) || !reference.IsPinned)
            .Select(i => $"{i.Path} = {i.Image}")
            .ToList();
        if (unpinned.Count > 0)
        {
            return AdmissionDecision.Refuse(ReleaseRefusalCode.ImageNotPinned,
                $"every image must be pinned by @sha256: digest; not pinned: {string.Join(", ", unpinned)}");
        }

        return new AdmissionDecision(release, null);
    }
}
