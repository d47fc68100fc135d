namespace Fleet.Cli.Releases;

/// <summary>One release as <c>fleetctl releases list|show --output json</c> and <c>deploy --output json</c> print it.</summary>
internal sealed record ReleaseJson(
    string ReleaseId, string App, string Environment, long Sequence, string? CreatedAt, string? ExpiresAt,
    IReadOnlyList<string> Signers, int Threshold, bool ThresholdMet, string? RolloutId, string? RolloutState);

internal sealed record ReleaseListJson(IReadOnlyList<ReleaseJson> Releases);
