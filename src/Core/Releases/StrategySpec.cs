using System.Text.Json.Serialization;

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

    /// <summary>
    /// Every matching host must be connected when the rollout starts (the same as max_unavailable 0).
    /// Left out of the manifest when false, so agents that predate it still read every other manifest.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool RequireAll { get; init; }

    /// <summary>
    /// How many matching hosts may be disconnected when the rollout starts; more, and it fails before
    /// touching any host. Null: any number (they are listed as pending and get the release when they connect).
    /// </summary>
    public int? MaxUnavailable { get; init; }

    /// <summary>The number of disconnected hosts the rollout accepts at its start (null: any).</summary>
    [JsonIgnore]
    public int? AllowedUnavailable => RequireAll ? 0 : MaxUnavailable;
}
