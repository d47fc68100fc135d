namespace Fleet.Cli.Releases;

/// <summary>
/// One release as <c>fleetctl releases list|show --output json</c> and <c>deploy --output json</c>
/// print it: the controller's record, and in <c>show</c> what fleetctl itself read in the signed payload (<see cref="Signed"/>).
/// </summary>
internal sealed record ReleaseJson(
    string ReleaseId, string App, string Environment, long Sequence, string? CreatedAt, string? ExpiresAt,
    IReadOnlyList<string> Signers, int Threshold, bool ThresholdMet, string? RolloutId, string? RolloutState, SignedReleaseJson? Signed = null);

internal sealed record ReleaseListJson(IReadOnlyList<ReleaseJson> Releases);
