using System.Globalization;
using Fleet.Core.Releases;

namespace Fleet.Cli.Releases;

/// <summary>How parts of a signed manifest read in <c>releases show</c> and <c>approve</c>.</summary>
internal static class ReleaseText
{
    public static string Strategy(StrategySpec strategy)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return strategy.Type switch
        {
            RolloutStrategyType.Rolling => string.Create(CultureInfo.InvariantCulture, $"rolling, {strategy.MaxParallel ?? 1} at a time"),
            RolloutStrategyType.Canary => string.Create(CultureInfo.InvariantCulture,
                $"canary on {strategy.Count ?? 1} host(s), then {(strategy.AutoPromote ? "promoted automatically" : "promoted by hand")}"),
            _ => "all hosts at once",
        };
    }

    /// <summary>The image's digest (what the agent pulls and checks), or null when it has none.</summary>
    public static string? Digest(string image) =>
        ImageReference.TryParse(image, out var reference, out _) ? reference.Digest : null;
}
