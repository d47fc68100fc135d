using Fleet.Contracts.V1;
using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>
/// Brings hosts to the desired release of each app and environment (desired_releases: the latest
/// whose rollout succeeded), as <see cref="RolloutMachine"/> decides. Each operation is one
/// set-based statement; the driver then sends what the moved targets ask for.
/// </summary>
internal static class Convergence
{
    private static readonly string ConnectSql =
        // Present on every replica from now on (heartbeats keep it so), before anything is decided for it.
        "with present as (update agents set connected_until = greatest(connected_until, $2 + $11) where id = $1), " +
        // Pending in a rollout still running: the waves take the host in turn.
        "resumed as (update rollout_targets t set state = $3, state_since = $2, updated_at = $2 from rollouts r " +
        "where t.agent_id = $1 and t.state = $4 and r.id = t.rollout_id and r.state = any($5) returning t.rollout_id), " +
        // Failed (silent) in a rollout that did not succeed, yet it runs that rollout's release: it goes back.
        "reverted as (update rollout_targets t set state = $6, state_since = $2, updated_at = $2 " +
        "from rollouts r join agent_releases a on a.agent_id = $1 and a.app = r.app and a.environment = r.environment " +
        "where t.agent_id = $1 and t.state = $7 and r.id = t.rollout_id and r.state <> $8 and a.sequence = r.sequence returning t.rollout_id), " +
        // Older than the desired release, and no active rollout of that app has it as a target: converge.
        "converging as (insert into rollout_targets (rollout_id, agent_id, agent_name, wave, state, previous_sequence, state_since, updated_at) " +
        "select d.rollout_id, g.id, g.name, 0, $9, coalesce(a.sequence, 0), $2, $2 from desired_releases d " +
        "join rollouts o on o.id = d.rollout_id join releases e on e.id = d.release_id " +
        "join agents g on g.id = $1 and g.revoked_at is null and g.labels @> o.selector " +
        "left join agent_releases a on a.agent_id = g.id and a.app = d.app and a.environment = d.environment " +
        "where coalesce(a.sequence, 0) < d.sequence and e.expires_at > $2 and not exists (select 1 from rollouts x join rollout_targets xt " +
        "on xt.rollout_id = x.id and xt.agent_id = g.id where x.app = d.app and x.environment = d.environment and x.state = any($5)) " +
        "on conflict (rollout_id, agent_id) do update set state = excluded.state, previous_sequence = excluded.previous_sequence, step = '', detail = '', " +
        "log_tail = '', state_since = excluded.state_since, updated_at = excluded.updated_at where rollout_targets.state = any($10) returning rollout_id) " +
        "select (select count(*) from resumed) + (select count(*) from reverted) + (select count(*) from converging)";

    /// <summary>
    /// A host connected (what it runs is already recorded): records it as connected for
    /// <paramref name="downAfter"/>, and moves its targets as the state machine decides for a
    /// returning host. Returns how many targets moved.
    /// </summary>
    public static async Task<long> ConnectAsync(NpgsqlConnection connection, Guid agentId, DateTimeOffset now, TimeSpan downAfter, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ConnectSql, connection);
        command.Parameters.AddWithValue(agentId);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(RolloutNames.Name(RolloutMachine.Resume.To));
        command.Parameters.AddWithValue(RolloutNames.Name(RolloutMachine.Resume.From));
        command.Parameters.AddWithValue(RolloutNames.Names(RolloutMachine.Active));
        command.Parameters.AddWithValue(RolloutNames.Name(RolloutMachine.RevertLate.To));
        command.Parameters.AddWithValue(RolloutNames.Name(RolloutMachine.RevertLate.From));
        command.Parameters.AddWithValue(RolloutNames.Name(RolloutState.Succeeded));
        command.Parameters.AddWithValue(RolloutNames.Name(RolloutMachine.Converging));
        command.Parameters.AddWithValue(RolloutNames.Names(RolloutMachine.ConvergeFrom));
        command.Parameters.AddWithValue(downAfter);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// A rollout just succeeded: its release becomes the desired one, and matching hosts that are
    /// not its targets yet and run something older (enrolled during it, or converging to the
    /// release it replaces) join it, applying if connected, else pending.
    /// </summary>
    public static async Task SucceededAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string rolloutId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var desired = new NpgsqlCommand(
            "insert into desired_releases (app, environment, release_id, rollout_id, sequence, updated_at) " +
            "select app, environment, release_id, id, sequence, $2 from rollouts where id = $1 " +
            "on conflict (app, environment) do update set release_id = excluded.release_id, rollout_id = excluded.rollout_id, " +
            "sequence = excluded.sequence, updated_at = excluded.updated_at where desired_releases.sequence < excluded.sequence", connection, transaction))
        {
            desired.Parameters.AddWithValue(rolloutId);
            desired.Parameters.AddWithValue(now);
            await desired.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var join = new NpgsqlCommand(
            "insert into rollout_targets (rollout_id, agent_id, agent_name, wave, state, previous_sequence, state_since, updated_at) " +
            "select o.id, g.id, g.name, 0, case when coalesce(g.connected_until > $2, false) then $3 else $4 end, coalesce(a.sequence, 0), $2, $2 " +
            "from rollouts o join agents g on g.revoked_at is null and g.labels @> o.selector " +
            "left join agent_releases a on a.agent_id = g.id and a.app = o.app and a.environment = o.environment " +
            "where o.id = $1 and coalesce(a.sequence, 0) < o.sequence on conflict (rollout_id, agent_id) do nothing", connection, transaction);
        join.Parameters.AddWithValue(rolloutId);
        join.Parameters.AddWithValue(now);
        join.Parameters.AddWithValue(RolloutNames.Name(RolloutMachine.Join(connected: true)));
        join.Parameters.AddWithValue(RolloutNames.Name(RolloutMachine.Join(connected: false)));
        await join.ExecuteNonQueryAsync(cancellationToken);
    }
}
