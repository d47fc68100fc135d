using System.Globalization;
using Fleet.Cli.Output;
using Fleet.Cli.Rollouts;
using Fleet.Core.Releases;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Cli.Releases;

/// <summary>Prints a <see cref="ReleaseView"/>: first what the controller says, then what the signed payload says and who really signed it.</summary>
internal static class ReleaseDetails
{
    public static void Print(Renderer renderer, ReleaseView view, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(view);
        var release = view.Stored.Release;
        renderer.Line($"release   {release.ReleaseId}");
        renderer.Line($"listed as {release.App} / {release.Environment} #{release.Sequence.ToString(CultureInfo.InvariantCulture)}, signed {ReleaseFormatter.Signed(release)} (the controller's record)");
        var inspection = view.Inspection;
        var policy = view.Trust is { } trust ? $"your trust policy v{trust.Policy.Version.ToString(CultureInfo.InvariantCulture)} ({view.TrustPolicyPath})" : "no trust policy";
        renderer.Line($"signed payload, as read by fleetctl and checked against {policy}:");
        if (inspection.Manifest is { } manifest)
        {
            PrintManifest(renderer, manifest, now);
        }

        foreach (var signature in inspection.Signatures)
        {
            renderer.Line(signature.VerifiedBy is { } key
                ? $"  signed by   {key.Name} ({key.KeyId}){(signature.Counts ? "" : ", which does not count here")}"
                : $"  signature   claiming {(signature.KeyIdHint.Length == 0 ? "no key id" : signature.KeyIdHint)}: NOT VERIFIED");
        }

        if (inspection.Rule is { } rule)
        {
            renderer.Line(string.Create(CultureInfo.InvariantCulture, $"  threshold   {rule.CountSigners(inspection.Signers)} of {rule.Threshold} required{(inspection.ThresholdMet ? ", met" : "")}"));
        }

        PrintRunning(renderer, view);
        if (view.Problems.Count > 0)
        {
            renderer.Line("PROBLEMS (do not sign this release):");
            foreach (var problem in view.Problems)
            {
                renderer.Line($"  - {problem}");
            }
        }

        if (view.Stored.Rollout is { } rollout)
        {
            RolloutFormatter.Print(renderer, rollout, now);
        }
    }

    public static SignedReleaseJson ToJson(ReleaseView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var inspection = view.Inspection;
        var manifest = inspection.Manifest;
        return new SignedReleaseJson(
            manifest?.App, manifest?.Environment, manifest?.Sequence, Iso(manifest?.CreatedAt), Iso(manifest?.ExpiresAt),
            manifest is null ? null : ReleaseText.Strategy(manifest.Release.Strategy),
            [.. (manifest?.Release.Services ?? []).Select(s => new ImageJson(s.Name, s.Image, ReleaseText.Digest(s.Image)))],
            [.. (manifest?.Release.Hooks ?? []).Select(h => new ImageJson(h.Name, h.Image, ReleaseText.Digest(h.Image)))],
            [.. inspection.Signatures.Select(s => new SignatureJson(s.KeyIdHint, s.VerifiedBy?.Name, s.Counts))],
            inspection.Rule?.Threshold, inspection.ThresholdMet, view.TrustPolicyPath, view.Trust?.Policy.Version,
            view.Running is { } running ? new RunningReleaseJson(running.Release.ReleaseId, running.Release.Sequence, running.Inspection.Problems) : null,
            [.. view.Changes.Select(c => new ChangeJson(c.Kind, c.Name, c.From, c.To))],
            view.Problems);
    }

    private static void PrintManifest(Renderer renderer, ReleaseManifest manifest, DateTimeOffset now)
    {
        renderer.Line($"  app         {manifest.App}");
        renderer.Line($"  environment {manifest.Environment}");
        renderer.Line($"  sequence    {manifest.Sequence.ToString(CultureInfo.InvariantCulture)}");
        renderer.Line($"  created     {Iso(manifest.CreatedAt)}");
        renderer.Line($"  expires     {Iso(manifest.ExpiresAt)} ({Humanize.Relative(Timestamp.FromDateTimeOffset(manifest.ExpiresAt), now)})");
        renderer.Line($"  strategy    {ReleaseText.Strategy(manifest.Release.Strategy)}");
        foreach (var service in manifest.Release.Services)
        {
            renderer.Line($"  service     {service.Name}: {service.Image}");
        }

        foreach (var hook in manifest.Release.Hooks)
        {
            renderer.Line($"  hook        {hook.Name} ({hook.Phase}, run {hook.Run}): {hook.Image} {string.Join(' ', hook.Command)}");
        }
    }

    private static void PrintRunning(Renderer renderer, ReleaseView view)
    {
        if (view.Inspection.Manifest is null)
        {
            return;
        }

        if (view.Running is not { } running)
        {
            renderer.Line("changes: none known; no release of this app has succeeded in this environment yet");
            return;
        }

        renderer.Line($"changes against the running release {running.Release.ReleaseId} #{running.Release.Sequence.ToString(CultureInfo.InvariantCulture)}:");
        running.Inspection.Problems.ForEach(p => renderer.Line($"  (that release is not vouched for: {p})"));
        if (view.Changes.Count == 0)
        {
            renderer.Line("  none: the same images and strategy");
        }

        foreach (var change in view.Changes)
        {
            renderer.Line($"  {change}");
        }
    }

    private static string? Iso(DateTimeOffset? time) => time is { } t ? Humanize.Iso(Timestamp.FromDateTimeOffset(t)) : null;
}
