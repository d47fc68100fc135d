using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;
using Fleet.Core.Trust;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Cli.Releases;

/// <summary>
/// A release as <c>releases show</c> and <c>approve</c> present it: the controller's record, what
/// fleetctl read in the signed payload itself, and the changes against the running release.
/// </summary>
internal sealed record ReleaseView(
    GetReleaseResponse Stored, ReleaseInspection Inspection, RunningRelease? Running, IReadOnlyList<ReleaseChange> Changes, SignedTrustPolicy? Trust, string TrustPolicyPath)
{
    public IReadOnlyList<string> Problems => Inspection.Problems;

    public static async Task<ReleaseView> LoadAsync(
        IFleetApi api, string releaseId, SignedTrustPolicy? trust, string trustPolicyPath, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var stored = await api.GetReleaseAsync(new GetReleaseRequest { ReleaseId = releaseId }, cancellationToken);
        var inspection = ReleaseInspection.Inspect(stored.Release, trust, trustPolicyPath);
        if (inspection.Manifest is not { } manifest)
        {
            return new ReleaseView(stored, inspection, null, [], trust, trustPolicyPath);
        }

        if (now >= manifest.ExpiresAt)
        {
            inspection.Problems.Add($"it expired {Humanize.Relative(Timestamp.FromDateTimeOffset(manifest.ExpiresAt), now)} ({Humanize.Iso(Timestamp.FromDateTimeOffset(manifest.ExpiresAt))})");
        }

        // Asked for by what the payload says, not by the controller's columns.
        var listed = await api.ListReleasesAsync(new ListReleasesRequest { App = manifest.App, Environment = manifest.Environment }, cancellationToken);
        var running = listed.Releases
            .Where(r => r.RolloutState == RolloutState.Succeeded && r.ReleaseId != releaseId)
            .MaxBy(r => r.Sequence);
        if (running is null)
        {
            return new ReleaseView(stored, inspection, null, [], trust, trustPolicyPath);
        }

        var baseline = ReleaseInspection.Inspect(running, trust, trustPolicyPath);
        if (baseline.Manifest is { } runningManifest && !baseline.ThresholdMet && trust is not null)
        {
            baseline.Problems.Add($"its signatures do not meet the threshold of '{runningManifest.Environment}' in your trust policy v{trust.Policy.Version}");
        }

        var changes = baseline.Manifest is null ? [] : ReleaseChanges.Between(baseline.Manifest.Release, manifest.Release);
        return new ReleaseView(stored, inspection, new RunningRelease(running, baseline), changes, trust, trustPolicyPath);
    }
}
