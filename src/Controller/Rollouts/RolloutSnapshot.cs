using Fleet.Contracts.V1;

namespace Fleet.Controller.Rollouts;

/// <summary>One target as the driver sees it; <paramref name="Connected"/> is read only for pending targets (the others are false).</summary>
internal sealed record TargetSnapshot(Guid AgentId, string Name, int Wave, TargetState State, DateTimeOffset StateSince, string Detail = "", bool Connected = false);

/// <summary>
/// One rollout as the driver sees it. <see cref="Wait"/>: until when it may wait for an approval or
/// a promotion (the release's expires_at or the controller's limit, the earlier).
/// </summary>
internal sealed record RolloutSnapshot(
    string Id, RolloutState State, string Strategy, bool AutoPromote, bool Promoted, TimeSpan ProgressDeadline, IReadOnlyList<TargetSnapshot> Targets)
{
    public RolloutWait Wait { get; init; } = RolloutWait.Forever;
}

/// <summary>How long a rollout may wait for an approval or a promotion: until the earlier of its release's expiry and its submission plus the limit.</summary>
internal sealed record RolloutWait(DateTimeOffset CreatedAt, TimeSpan Limit, DateTimeOffset ReleaseExpiresAt)
{
    public static RolloutWait Forever { get; } = new(DateTimeOffset.MinValue, TimeSpan.MaxValue, DateTimeOffset.MaxValue);

    public DateTimeOffset Until => ReleaseExpiresAt - CreatedAt <= Limit ? ReleaseExpiresAt : CreatedAt + Limit;
}

internal sealed record TargetChange(Guid AgentId, TargetState State, string Detail);

/// <summary>What one step decided: target changes, then maybe a new rollout state (with its reason) or a promotion.</summary>
internal sealed record StepResult(IReadOnlyList<TargetChange> Changes, RolloutState? NewState, string Reason, bool Promote)
{
    public bool IsEmpty => Changes.Count == 0 && NewState is null && !Promote;
}
