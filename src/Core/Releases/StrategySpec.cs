namespace Fleet.Core.Releases;

/// <summary>How the controller rolls a release over the target hosts.</summary>
public sealed record StrategySpec
{
    public RolloutStrategyType Type { get; init; } = RolloutStrategyType.All;

    /// <summary>Rolling: hosts swapped at once (required). Canary: after promotion (optional, default all).</summary>
    public int? MaxParallel { get; init; }

    /// <summary>Canary: hosts that get the release first.</summary>
    public int? Count { get; init; }

    /// <summary>Canary: promote to every host once the canaries stayed healthy for min_healthy_time.</summary>
    public bool AutoPromote { get; init; }
}
