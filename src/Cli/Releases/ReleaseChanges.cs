using Fleet.Core.Releases;

namespace Fleet.Cli.Releases;

internal static class ReleaseChanges
{
    /// <summary>Services and hooks of <paramref name="next"/> whose images differ from <paramref name="running"/>, then the strategy.</summary>
    public static IReadOnlyList<ReleaseChange> Between(ReleaseDefinition running, ReleaseDefinition next)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(next);
        var changes = Compare("service", running.Services.ToDictionary(s => s.Name, s => s.Image), next.Services.ToDictionary(s => s.Name, s => s.Image));
        changes.AddRange(Compare("hook", running.Hooks.ToDictionary(h => h.Name, h => h.Image), next.Hooks.ToDictionary(h => h.Name, h => h.Image)));
        var (from, to) = (ReleaseText.Strategy(running.Strategy), ReleaseText.Strategy(next.Strategy));
        if (from != to)
        {
            changes.Add(new ReleaseChange("rollout", "strategy", from, to));
        }

        return changes;
    }

    private static List<ReleaseChange> Compare(string kind, Dictionary<string, string> running, Dictionary<string, string> next) =>
    [
        .. running.Keys.Union(next.Keys).Order(StringComparer.Ordinal)
            .Select(name => new ReleaseChange(kind, name, running.GetValueOrDefault(name), next.GetValueOrDefault(name)))
            .Where(c => c.From != c.To),
    ];
}
