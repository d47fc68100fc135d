using Fleet.Core.Releases;

namespace Fleet.Controller.Rollouts;

/// <summary>An agent a rollout will update, and the wave it belongs to (0 first).</summary>
internal sealed record PlannedTarget(Guid AgentId, string Name, int Wave);

/// <summary>
/// Splits the matching agents into waves (pure). Agents are ordered by name so a plan is
/// reproducible. all: one wave. rolling: waves of max_parallel. canary: the first count agents
/// form wave 0; the rest follow after promotion, max_parallel at a time when given, else together.
/// A release with <c>run: once</c> hooks or <c>pre_deploy</c> backups starts on one host alone (it
/// takes the backups, then runs the hooks), so both happen exactly once and before any other host
/// switches; a failure there leaves every other host untouched.
/// </summary>
internal static class RolloutPlanner
{
    /// <summary>Whether one host must go first to do the once-per-rollout work: run-once hooks and pre-deploy backups.</summary>
    public static bool HasOnceHooks(ReleaseDefinition release) =>
        (release ?? throw new ArgumentNullException(nameof(release))).Hooks.Any(h => h.Run == HookRun.Once)
        || (release.Backups ?? []).Any(b => b.PreDeploy);

    /// <summary>How long a host must stay healthy after its switch, in whole seconds (what agents are sent).</summary>
    public static int MinHealthySeconds(ReleaseDefinition release) =>
        (int)Math.Ceiling((release ?? throw new ArgumentNullException(nameof(release))).MinHealthyTime.TotalSeconds);

    /// <summary>How long a host in flight may stay silent before it fails the rollout, in whole seconds: it is silent while it counts its healthy time.</summary>
    public static int ProgressDeadlineSeconds(ReleaseDefinition release) =>
        (int)Math.Ceiling(((release ?? throw new ArgumentNullException(nameof(release))).HealthyDeadline + release.MinHealthyTime).TotalSeconds);

    public static IReadOnlyList<PlannedTarget> Plan(StrategySpec strategy, IEnumerable<(Guid Id, string Name)> agents, bool onceHooks = false)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        var ordered = agents.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        List<PlannedTarget> plan = strategy.Type switch
        {
            RolloutStrategyType.Rolling => [.. ordered.Select((a, i) => new PlannedTarget(a.Id, a.Name, i / Math.Max(1, strategy.MaxParallel ?? 1)))],
            RolloutStrategyType.Canary => PlanCanary(strategy, ordered),
            _ => [.. ordered.Select(a => new PlannedTarget(a.Id, a.Name, 0))],
        };
        return onceHooks && plan.Count(t => t.Wave == 0) > 1
            ? [plan[0], .. plan.Skip(1).Select(t => t with { Wave = t.Wave + 1 })]
            : plan;
    }

    private static List<PlannedTarget> PlanCanary(StrategySpec strategy, List<(Guid Id, string Name)> ordered)
    {
        var count = Math.Clamp(strategy.Count ?? 1, 1, Math.Max(1, ordered.Count));
        var rest = Math.Max(1, strategy.MaxParallel ?? int.MaxValue);
        return [.. ordered.Select((a, i) => new PlannedTarget(a.Id, a.Name, i < count ? 0 : 1 + ((i - count) / rest)))];
    }
}
