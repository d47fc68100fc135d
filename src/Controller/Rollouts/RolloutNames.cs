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
    };

    private static readonly Dictionary<string, RolloutState> RolloutsByName = Rollouts.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    private static readonly Dictionary<string, TargetState> TargetsByName = Targets.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string Name(RolloutState state) => Rollouts[state];

    public static string Name(TargetState state) => Targets[state];

    public static RolloutState Rollout(string name) => RolloutsByName[name];

    public static TargetState Target(string name) => TargetsByName[name];

    /// <summary>States in which the rollout still holds its app+environment (see the rollouts_one_active index).</summary>
    public static bool IsActive(RolloutState state) =>
        state is RolloutState.AwaitingApproval or RolloutState.Running or RolloutState.Paused or RolloutState.AwaitingPromotion;
}
