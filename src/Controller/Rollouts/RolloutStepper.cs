using Fleet.Contracts.V1;

namespace Fleet.Controller.Rollouts;

/// <summary>One target as the driver sees it.</summary>
internal sealed record TargetSnapshot(Guid AgentId, string Name, int Wave, TargetState State, DateTimeOffset StateSince, string Detail = "");

/// <summary>One rollout as the driver sees it.</summary>
internal sealed record RolloutSnapshot(
    string Id, RolloutState State, string Strategy, bool AutoPromote, bool Promoted, TimeSpan ProgressDeadline, IReadOnlyList<TargetSnapshot> Targets);

internal sealed record TargetChange(Guid AgentId, TargetState State, string Detail);

/// <summary>What one step decided: target changes, then maybe a new rollout state (with its reason) or a promotion.</summary>
internal sealed record StepResult(IReadOnlyList<TargetChange> Changes, RolloutState? NewState, string Reason, bool Promote)
{
    public bool IsEmpty => Changes.Count == 0 && NewState is null && !Promote;
}

/// <summary>
/// The rollout state machine (pure; the clock is a parameter). A host is done only when its agent
/// reported HEALTHY (healthy for min_healthy_time after its switch). The first failure, refusal or
/// host silent past the progress deadline fails the rollout: no new hosts start, hosts already
/// switched (or switching) are reverted, hosts not started stay untouched. Waves run in order;
/// a canary stops after wave 0 until promoted (automatically when auto_promote is set).
/// </summary>
internal static class RolloutStepper
{
    public static StepResult Step(RolloutSnapshot rollout, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        if (rollout.State is not (RolloutState.Running or RolloutState.Paused or RolloutState.AwaitingPromotion))
        {
            // A finished rollout only waits for its reverts, and not forever.
            return new StepResult([.. rollout.Targets
                .Where(t => t.State == TargetState.Reverting && now - t.StateSince > rollout.ProgressDeadline)
                .Select(t => new TargetChange(t.AgentId, TargetState.Failed, $"no REVERTED report for {(int)rollout.ProgressDeadline.TotalSeconds}s"))],
                null, "", false);
        }

        var changes = new List<TargetChange>();
        var targets = rollout.Targets.ToDictionary(t => t.AgentId);
        foreach (var target in rollout.Targets.Where(t => t.State is TargetState.Applying or TargetState.Verifying))
        {
            if (now - target.StateSince > rollout.ProgressDeadline)
            {
                var detail = $"no progress report for {(int)rollout.ProgressDeadline.TotalSeconds}s (host silent or disconnected)";
                changes.Add(new TargetChange(target.AgentId, TargetState.Failed, detail));
                targets[target.AgentId] = target with { State = TargetState.Failed, Detail = detail };
            }
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

        if (targets.Values.All(t => t.State == TargetState.Done))
        {
            return new StepResult(changes, RolloutState.Succeeded, targets.Count == 0 ? "no agent matched the environment and target labels" : "", false);
        }

        var current = targets.Values.Where(t => t.State != TargetState.Done).Min(t => t.Wave);
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
            changes.AddRange(targets.Values
                .Where(t => t.Wave == current && t.State == TargetState.Waiting)
                .Select(t => new TargetChange(t.AgentId, TargetState.Applying, "")));
        }

        return new StepResult(changes, null, "", false);
    }

    /// <summary>
    /// When the clock alone would next change <paramref name="rollout"/>: the first instant at which
    /// <see cref="Step"/> finds a host past the progress deadline (null: only a report or an
    /// operator can change it). A report moves the host's deadline later, never earlier.
    /// </summary>
    public static DateTimeOffset? NextDeadline(RolloutSnapshot rollout)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        var unfinished = rollout.State is RolloutState.Running or RolloutState.Paused or RolloutState.AwaitingPromotion;
        return rollout.Targets
            .Where(t => unfinished ? t.State is TargetState.Applying or TargetState.Verifying : t.State == TargetState.Reverting)
            .Select(t => (DateTimeOffset?)(t.StateSince + rollout.ProgressDeadline + TimeSpan.FromTicks(1)))
            .Min();
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
        targets.Select(t => t.State switch
        {
            TargetState.Applying or TargetState.Verifying or TargetState.Done => new TargetChange(t.AgentId, TargetState.Reverting, ""),
            TargetState.Waiting => new TargetChange(t.AgentId, TargetState.Untouched, ""),
            _ => null,
        }).OfType<TargetChange>();
}
