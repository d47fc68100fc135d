using Fleet.Contracts.V1;
using Fleet.Core.Releases;

namespace Fleet.Controller.Rollouts;

/// <summary>
/// The rollout state machine, the one place that decides every transition of rollouts and their
/// targets (pure; the clock is a parameter). The SQL of the driver, the submit path, agent events
/// and operator commands only writes what it decides (state names: <see cref="RolloutNames"/>).
/// A host is done only when its agent reported HEALTHY (healthy for min_healthy_time after its
/// switch). The first failure, refusal or host silent past the progress deadline fails the
/// rollout: no new hosts start, hosts already switched (or switching) are reverted, hosts not
/// started stay untouched. Waves run in order; a canary stops after wave 0 until promoted
/// (automatically when auto_promote is set). Hosts not connected when it starts are pending: they
/// never hold it up, and get the release when they connect (<see cref="Convergence"/>).
/// </summary>
internal static partial class RolloutMachine
{
    /// <summary>States in which a rollout holds its app+environment (see the rollouts_one_active index).</summary>
    public static readonly RolloutState[] Active = [RolloutState.AwaitingApproval, RolloutState.Running, RolloutState.Paused, RolloutState.AwaitingPromotion];

    /// <summary>Target states in which the driver expects a report from the host (see the rollout_targets_in_flight index).</summary>
    public static readonly TargetState[] InFlight = [TargetState.Applying, TargetState.Verifying, TargetState.Reverting];

    public static bool IsActive(RolloutState state) => Active.Contains(state);

    /// <summary>Whether hosts applying this rollout are sent its release: while it runs, and once it succeeded (hosts converging to it).</summary>
    public static bool SendsApply(RolloutState state) =>
        state is RolloutState.Running or RolloutState.Paused or RolloutState.AwaitingPromotion or RolloutState.Succeeded;

    public static StepResult Step(RolloutSnapshot rollout, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.State is RolloutState.AwaitingApproval or RolloutState.AwaitingPromotion && now >= rollout.Wait.Until)
        {
            return new StepResult([.. RevertAll(rollout.Targets)], RolloutState.Expired, ExpiredReason(rollout), false);
        }

        if (rollout.State is not (RolloutState.Running or RolloutState.Paused or RolloutState.AwaitingPromotion))
        {
            // A finished rollout only waits for its reverts and for hosts converging to it, and not forever.
            return new StepResult([.. rollout.Targets
                .Where(t => InFlight.Contains(t.State) && now - t.StateSince > rollout.ProgressDeadline)
                .Select(t => new TargetChange(t.AgentId, TargetState.Failed, t.State == TargetState.Reverting
                    ? $"no REVERTED report for {Seconds(rollout)}s"
                    : $"no progress report for {Seconds(rollout)}s (host silent or disconnected)"))],
                null, "", false);
        }

        var changes = new List<TargetChange>();
        var targets = rollout.Targets.ToDictionary(t => t.AgentId);
        foreach (var target in rollout.Targets.Where(t => t.State is TargetState.Applying or TargetState.Verifying))
        {
            if (now - target.StateSince > rollout.ProgressDeadline)
            {
                var detail = $"no progress report for {Seconds(rollout)}s (host silent or disconnected)";
                changes.Add(new TargetChange(target.AgentId, TargetState.Failed, detail));
                targets[target.AgentId] = target with { State = TargetState.Failed, Detail = detail };
            }
        }

        // A pending host that connected since: the waves take it in turn (on connect, or here should the connect have raced the start).
        foreach (var target in rollout.Targets.Where(t => t.State == Resume.From && t.Connected))
        {
            changes.Add(new TargetChange(target.AgentId, Resume.To, ""));
            targets[target.AgentId] = target with { State = Resume.To };
        }

        // Reverted while the rollout runs: the agent saw its host fail (e.g. unhealthy) and rolled back itself.
        var failed = targets.Values.OrderBy(t => t.Wave).ThenBy(t => t.Name, StringComparer.Ordinal)
            .FirstOrDefault(t => t.State is TargetState.Failed or TargetState.Refused or TargetState.Reverted);
        if (failed is not null)
        {
            changes.AddRange(RevertAll(targets.Values));
            var verb = failed.State == TargetState.Refused ? "refused the release" : "failed";
            return new StepResult(changes, RolloutState.Failed, $"{failed.Name} {verb}: {failed.Detail}", false);
        }

        // Pending hosts hold nothing up: they get the release when they connect.
        var remaining = targets.Values.Where(t => t.State is not (TargetState.Done or TargetState.Pending)).ToList();
        if (remaining.Count == 0)
        {
            var pending = targets.Values.Count(t => t.State == TargetState.Pending);
            return new StepResult(changes, RolloutState.Succeeded, targets.Count == 0 ? "no agent matched the environment and target labels"
                : pending == 0 ? "" : $"{pending} host(s) pending: they get the release when they connect", false);
        }

        var current = remaining.Min(t => t.Wave);
        var isCanary = string.Equals(rollout.Strategy, "canary", StringComparison.Ordinal);
        if (isCanary && current > 0 && !rollout.Promoted)
        {
            return rollout.AutoPromote
                ? new StepResult(changes, rollout.State == RolloutState.AwaitingPromotion ? RolloutState.Running : null, "", true)
                : new StepResult(changes, rollout.State == RolloutState.AwaitingPromotion ? null : RolloutState.AwaitingPromotion,
                    "canary hosts are healthy; run fleetctl rollout promote", false);
        }

        if (rollout.State == RolloutState.Running)
        {
            changes.AddRange(remaining
                .Where(t => t.Wave == current && t.State == TargetState.Waiting)
                .Select(t => new TargetChange(t.AgentId, TargetState.Applying, "")));
        }

        return new StepResult(changes, null, "", false);
    }

    /// <summary>
    /// When the clock alone would next change <paramref name="rollout"/>: the first instant at which
    /// <see cref="Step"/> finds a host past the progress deadline or the rollout past its wait (null:
    /// only a report or an operator can change it). A report moves the host's deadline later, never earlier.
    /// </summary>
    public static DateTimeOffset? NextDeadline(RolloutSnapshot rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var unfinished = rollout.State is RolloutState.Running or RolloutState.Paused or RolloutState.AwaitingPromotion;
        var hosts = rollout.Targets
            .Where(t => unfinished ? t.State is TargetState.Applying or TargetState.Verifying : InFlight.Contains(t.State))
            .Select(t => (DateTimeOffset?)(t.StateSince + rollout.ProgressDeadline + TimeSpan.FromTicks(1)))
            .Min();
        DateTimeOffset? wait = rollout.State is RolloutState.AwaitingApproval or RolloutState.AwaitingPromotion && rollout.Wait != RolloutWait.Forever
            ? rollout.Wait.Until
            : null;
        return hosts is null ? wait : wait is null || hosts < wait ? hosts : wait;
    }

    /// <summary>The rollout as it is once <paramref name="result"/> is written (what the driver then sends from).</summary>
    public static RolloutSnapshot After(RolloutSnapshot rollout, StepResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(result);
        var changed = result.Changes.GroupBy(c => c.AgentId).ToDictionary(g => g.Key, g => g.Last());
        return rollout with
        {
            State = result.NewState ?? rollout.State,
            Promoted = rollout.Promoted || result.Promote,
            Targets = [.. rollout.Targets.Select(t => changed.TryGetValue(t.AgentId, out var c)
                ? t with { State = c.State, StateSince = now, Detail = c.Detail.Length == 0 ? t.Detail : c.Detail }
                : t)],
        };
    }

    /// <summary>Hosts that switched or are switching go back; hosts not started stay untouched.</summary>
    public static IEnumerable<TargetChange> RevertAll(IEnumerable<TargetSnapshot> targets) =>
        targets.Where(t => RevertMoves.ContainsKey(t.State)).Select(t => new TargetChange(t.AgentId, RevertMoves[t.State], ""));

    private static string ExpiredReason(RolloutSnapshot rollout)
    {
        var what = rollout.State == RolloutState.AwaitingApproval ? "approved" : "promoted";
        return rollout.Wait.ReleaseExpiresAt <= rollout.Wait.Until
            ? $"the release expired at {rollout.Wait.ReleaseExpiresAt:O} before it was {what}"
            : $"not {what} within {Duration.Format(rollout.Wait.Limit)} (--max-rollout-wait)";
    }

    private static int Seconds(RolloutSnapshot rollout) => (int)rollout.ProgressDeadline.TotalSeconds;
}
