namespace Fleet.Cli.Rollouts;

/// <summary><c>fleetctl rollout status --output json</c>.</summary>
internal sealed record RolloutJson(
    string RolloutId, string ReleaseId, string App, string Environment, long Sequence, string State, string Strategy,
    string? Reason, string? StartedAt, string? FinishedAt, IReadOnlyList<RolloutTargetJson> Targets);

internal sealed record RolloutTargetJson(
    string Agent, string State, int Wave, string? Step, string? Detail, string? LogTail, long PreviousSequence, string? UpdatedAt);
