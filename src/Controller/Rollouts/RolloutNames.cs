using Fleet.Contracts.V1;

namespace Fleet.Controller.Rollouts;

/// <summary>The text stored in the rollouts and rollout_targets tables for each proto state.</summary>
internal static class RolloutNames
{
    private static readonly Dictionary<RolloutState, string> Rollouts = new()
    {
        [RolloutState.AwaitingApproval] = "awaiting_approval",
        [RolloutState.Running] = "running",
        [RolloutState.Paused] = "paused",
        [RolloutState.Succeeded] = "succeeded",
        [RolloutState.Failed] = "failed",
        [RolloutState.Aborted] = "aborted",
        [RolloutState.Superseded] = "superseded",
        [RolloutState.AwaitingPromotion] = "awaiting_promotion",
        [RolloutState.Expired] = "expired",
    };

    private static readonly Dictionary<TargetState, string> Targets = new()
    {
        [TargetState.Waiting] = "waiting",
        [TargetState.Applying] = "applying",
        [TargetState.Verifying] = "verifying",
        [TargetState.Done] = "done",
        [TargetState.Failed] = "failed",
        [TargetState.Refused] = "refused",
        [TargetState.Reverting] = "reverting",
        [TargetState.Reverted] = "reverted",
        [TargetState.Untouched] = "untouched",
        [TargetState.Pending] = "pending",
    };

    private static readonly Dictionary<string, RolloutState> RolloutsByName = Rollouts.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    private static readonly Dictionary<string, TargetState> TargetsByName = Targets.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string Name(RolloutState state) => Rollouts[state];

    public static string Name(TargetState state) => Targets[state];

    public static string[] Names(IEnumerable<RolloutState> states) => [.. states.Select(Name)];

    public static string[] Names(IEnumerable<TargetState> states) => [.. states.Select(Name)];

    /// <summary>
    /// <c>('a', 'b')</c>: for a statement whose condition must match a partial index's predicate
    /// literally (the planner cannot use the index for a parameter).
    /// </summary>
    public static string SqlList(IEnumerable<TargetState> states) => "(" + string.Join(", ", states.Select(s => $"'{Name(s)}'")) + ")";

    public static RolloutState Rollout(string name) => RolloutsByName[name];

    public static TargetState Target(string name) => TargetsByName[name];
}
