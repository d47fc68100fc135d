using Fleet.Contracts.V1;
using Fleet.Core.Releases;

namespace Fleet.Controller.Rollouts;

/// <summary>A planned target and the state it starts in.</summary>
internal sealed record StartingTarget(PlannedTarget Target, TargetState State);

/// <summary>How a rollout starts: running (or failed at once, touching nothing), and each target's first state.</summary>
internal sealed record StartDecision(RolloutState State, string Reason, IReadOnlyList<StartingTarget> Targets);

/// <summary>A target state change that applies when the target is in <see cref="From"/> and its rollout did (or did not) succeed.</summary>
internal sealed record TargetMove(TargetState From, TargetState To, bool RolloutSucceeded);

internal static partial class RolloutMachine
{
    /// <summary>Operator abort and failure: switched or switching hosts go back, hosts not started stay untouched.</summary>
    public static readonly IReadOnlyDictionary<TargetState, TargetState> RevertMoves = new Dictionary<TargetState, TargetState>
    {
        [TargetState.Applying] = TargetState.Reverting,
        [TargetState.Verifying] = TargetState.Reverting,
        [TargetState.Done] = TargetState.Reverting,
        [TargetState.Waiting] = TargetState.Untouched,
        [TargetState.Pending] = TargetState.Untouched,
    };

    /// <summary>Target states in which a host reports progress (its deadline moves with each report).</summary>
    public static TargetState[] Reporting => InFlight;

    /// <summary>A host that connects while its rollout is still active: pending becomes waiting, and the waves take it in turn.</summary>
    public static readonly (TargetState From, TargetState To) Resume = (TargetState.Pending, TargetState.Waiting);

    /// <summary>
    /// A host of a rollout that did not succeed, failed (e.g. silent past the deadline), that
    /// connects running that rollout's release: it switched after all, and goes back.
    /// </summary>
    public static readonly (TargetState From, TargetState To) RevertLate = (TargetState.Failed, TargetState.Reverting);

    /// <summary>
    /// The states from which a host that connects running an older release than the desired one is
    /// sent it again (no target row at all counts too). Refused is left alone: its agent said no and
    /// would say it again; hosts in flight are being handled.
    /// </summary>
    public static readonly TargetState[] ConvergeFrom = [TargetState.Pending, TargetState.Done, TargetState.Failed, TargetState.Untouched, TargetState.Reverted];

    /// <summary>The state a host converging to the desired release is in: the driver sends it the release.</summary>
    public const TargetState Converging = TargetState.Applying;

    /// <summary>A host that joins a rollout late (enrolled during it) once it succeeded: applying if connected, else pending.</summary>
    public static TargetState Join(bool connected) => connected ? Converging : TargetState.Pending;

    /// <summary>
    /// Decides how a rollout starts over <paramref name="plan"/> (the waves of the connected hosts)
    /// and <paramref name="disconnected"/> hosts: these are pending after the last wave, unless more
    /// are disconnected than the strategy allows; then it fails before touching any host.
    /// </summary>
    public static StartDecision Start(StrategySpec strategy, IReadOnlyList<PlannedTarget> plan, IReadOnlyList<(Guid Id, string Name)> disconnected)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(disconnected);
        var afterLast = plan.Count == 0 ? 0 : plan.Max(t => t.Wave) + 1;
        var absent = disconnected.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => new PlannedTarget(a.Id, a.Name, afterLast)).ToList();
        if (strategy.AllowedUnavailable is { } allowed && absent.Count > allowed)
        {
            var names = string.Join(", ", absent.Take(5).Select(a => a.Name)) + (absent.Count > 5 ? ", …" : "");
            var rule = strategy.RequireAll ? "require_all" : "max_unavailable";
            return new StartDecision(RolloutState.Failed,
                $"{absent.Count} of {plan.Count + absent.Count} hosts are not connected ({names}); the strategy allows {allowed} ({rule})",
                [.. plan.Concat(absent).Select(t => new StartingTarget(t, TargetState.Untouched))]);
        }

        return new StartDecision(RolloutState.Running, "",
            [.. plan.Select(t => new StartingTarget(t, t.Wave == 0 ? TargetState.Applying : TargetState.Waiting)),
             .. absent.Select(t => new StartingTarget(t, TargetState.Pending))]);
    }

    /// <summary>How the targets still waiting change when a rollout ends in <paramref name="end"/>: pending hosts keep waiting for a release that succeeded.</summary>
    public static IReadOnlyDictionary<TargetState, TargetState> EndMoves(RolloutState end) => end == RolloutState.Succeeded
        ? new Dictionary<TargetState, TargetState> { [TargetState.Waiting] = TargetState.Untouched }
        : new Dictionary<TargetState, TargetState> { [TargetState.Waiting] = TargetState.Untouched, [TargetState.Pending] = TargetState.Untouched };

    /// <summary>
    /// The state an event moves a target to from <paramref name="from"/> (null: it does not move; late
    /// events never undo a decision). A host failed for silence that reports its swap after all is
    /// reverted, unless its rollout succeeded (it was converging to the desired release).
    /// </summary>
    public static TargetState? EventMove(AgentEventKind kind, TargetState from, bool rolloutSucceeded) => (kind, from) switch
    {
        (AgentEventKind.Applied, TargetState.Applying) => TargetState.Verifying,
        (AgentEventKind.Applied, TargetState.Failed) => rolloutSucceeded ? TargetState.Verifying : TargetState.Reverting,
        (AgentEventKind.Healthy, TargetState.Applying or TargetState.Verifying) => TargetState.Done,
        (AgentEventKind.Healthy, TargetState.Failed) => rolloutSucceeded ? TargetState.Done : TargetState.Reverting,
        // A revert can fail too (e.g. nothing earlier to return to): the host is failed, not reverting forever.
        (AgentEventKind.Failed, TargetState.Applying or TargetState.Verifying or TargetState.Reverting) => TargetState.Failed,
        (AgentEventKind.Unhealthy, TargetState.Applying or TargetState.Verifying) => TargetState.Failed,
        (AgentEventKind.Refused, TargetState.Applying) => TargetState.Refused,
        (AgentEventKind.Reverted, TargetState.Applying or TargetState.Verifying or TargetState.Done or TargetState.Reverting or TargetState.Failed) => TargetState.Reverted,
        _ => null,
    };

    /// <summary>Every move of <see cref="EventMove"/> for <paramref name="kind"/>, for the one statement that stores an event and moves its target.</summary>
    public static IReadOnlyList<TargetMove> EventMoves(AgentEventKind kind) => EventMoveTable[kind];

    private static readonly Dictionary<AgentEventKind, IReadOnlyList<TargetMove>> EventMoveTable = Enum.GetValues<AgentEventKind>().ToDictionary(
        kind => kind,
        IReadOnlyList<TargetMove> (kind) => [.. from state in Enum.GetValues<TargetState>()
            from succeeded in (bool[])[false, true]
            let to = EventMove(kind, state, succeeded)
            where to is not null
            select new TargetMove(state, to.Value, succeeded)]);

    /// <summary>The rollout states from which an operator command applies.</summary>
    public static RolloutState[] CommandFrom(string command) => command switch
    {
        "pause" => [RolloutState.Running],
        "resume" => [RolloutState.Paused],
        "promote" => [RolloutState.AwaitingPromotion, RolloutState.Running],
        "abort" => Active,
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown rollout command"),
    };
}
