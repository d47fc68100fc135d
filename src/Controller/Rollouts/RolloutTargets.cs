using System.Text.Json;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Controller.Rollouts;

/// <summary>A rollout just started: its first wave, already applying, what its assignments carry, and how long a host may stay silent.</summary>
internal sealed record StartedRollout(string RolloutId, IReadOnlyList<TargetSnapshot> FirstWave, DispatchInfo Work, TimeSpan ProgressDeadline);

/// <summary>Starts a rollout (plans its targets over the matching agents) and ends one.</summary>
internal static class RolloutTargets
{
    /// <summary>
    /// Plans the targets (agents labelled env=ENVIRONMENT plus the target labels), and starts the
    /// rollout as <see cref="RolloutMachine.Start"/> decides: connected hosts in waves, the first
    /// applying, the others pending (or the rollout fails at once when the strategy allows fewer
    /// disconnected hosts). The caller sends the first wave its assignments as soon as this
    /// transaction commits, without waiting for the driver to re-read 10,000 targets.
    /// </summary>
    public static async Task<StartedRollout> StartAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string rolloutId, ReleaseManifest manifest, ReadOnlyMemory<byte> envelope,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var selector = JsonSerializer.Serialize(new SortedDictionary<string, string>(manifest.Release.TargetLabels.ToDictionary(), StringComparer.Ordinal) { ["env"] = manifest.Environment });
        var connected = new List<(Guid Id, string Name)>();
        var disconnected = new List<(Guid Id, string Name)>();
        await using (var select = new NpgsqlCommand(
            "select id, name, coalesce(connected_until > $2, false) from agents where revoked_at is null and labels @> $1", connection, transaction))
        {
            select.Parameters.AddWithValue(NpgsqlDbType.Jsonb, selector);
            select.Parameters.AddWithValue(now);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                (reader.GetBoolean(2) ? connected : disconnected).Add((reader.GetGuid(0), reader.GetString(1)));
            }
        }

        // One statement for the whole plan: a fleet of 10,000 hosts must not cost 10,000 round trips.
        var onceHooks = RolloutPlanner.HasOnceHooks(manifest.Release);
        var decision = RolloutMachine.Start(manifest.Release.Strategy, RolloutPlanner.Plan(manifest.Release.Strategy, connected, onceHooks), disconnected);
        var applied = await DriverQueries.AppliedAsync(connection, transaction, manifest.App, manifest.Environment, cancellationToken);
        await using (var insert = new NpgsqlCommand(
            "insert into rollout_targets (rollout_id, agent_id, agent_name, wave, state, previous_sequence, state_since, updated_at) " +
            "select $1, p.agent_id, p.agent_name, p.wave, p.state, p.previous_sequence, $7, $7 " +
            "from unnest($2::uuid[], $3::text[], $4::integer[], $5::text[], $6::bigint[]) as p (agent_id, agent_name, wave, state, previous_sequence)",
            connection, transaction))
        {
            insert.Parameters.AddWithValue(rolloutId);
            insert.Parameters.AddWithValue(decision.Targets.Select(t => t.Target.AgentId).ToArray());
            insert.Parameters.AddWithValue(decision.Targets.Select(t => t.Target.Name).ToArray());
            insert.Parameters.AddWithValue(decision.Targets.Select(t => t.Target.Wave).ToArray());
            insert.Parameters.AddWithValue(decision.Targets.Select(t => RolloutNames.Name(t.State)).ToArray());
            insert.Parameters.AddWithValue(decision.Targets.Select(t => applied.GetValueOrDefault(t.Target.AgentId)).ToArray());
            insert.Parameters.AddWithValue(now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var update = new NpgsqlCommand(
            "update rollouts set state = $2, reason = $3, selector = $4, started_at = $5, finished_at = case when $6 then $5 end where id = $1", connection, transaction))
        {
            update.Parameters.AddWithValue(rolloutId);
            update.Parameters.AddWithValue(RolloutNames.Name(decision.State));
            update.Parameters.AddWithValue(decision.Reason);
            update.Parameters.AddWithValue(NpgsqlDbType.Jsonb, selector);
            update.Parameters.AddWithValue(now);
            update.Parameters.AddWithValue(!RolloutMachine.IsActive(decision.State));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var firstWave = decision.Targets.Where(t => t.State == TargetState.Applying)
            .Select(t => new TargetSnapshot(t.Target.AgentId, t.Target.Name, t.Target.Wave, TargetState.Applying, now)).ToList();
        return new StartedRollout(rolloutId, firstWave, new DispatchInfo(
            manifest.App, manifest.Environment, manifest.Sequence, ByteString.CopyFrom(envelope.Span), RolloutPlanner.MinHealthySeconds(manifest.Release),
            onceHooks, applied, applied), TimeSpan.FromSeconds(RolloutPlanner.ProgressDeadlineSeconds(manifest.Release)));
    }

    /// <summary>Ends a rollout in <paramref name="state"/>; targets still waiting move as <see cref="RolloutMachine.EndMoves"/> decides.</summary>
    public static async Task EndAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string rolloutId, RolloutState state, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var update = new NpgsqlCommand("update rollouts set state = $2, reason = $3, finished_at = $4 where id = $1", connection, transaction))
        {
            update.Parameters.AddWithValue(rolloutId);
            update.Parameters.AddWithValue(RolloutNames.Name(state));
            update.Parameters.AddWithValue(reason);
            update.Parameters.AddWithValue(now);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await MoveAsync(connection, transaction, rolloutId, RolloutMachine.EndMoves(state), now, cancellationToken);
    }

    /// <summary>Moves every target of the rollout whose state is a key of <paramref name="moves"/> to its value, in one statement.</summary>
    public static async Task MoveAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string rolloutId, IReadOnlyDictionary<TargetState, TargetState> moves, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var move = new NpgsqlCommand(
            "update rollout_targets t set state = m.to_state, updated_at = $2, state_since = $2 " +
            "from unnest($3::text[], $4::text[]) as m (from_state, to_state) where t.rollout_id = $1 and t.state = m.from_state", connection, transaction);
        move.Parameters.AddWithValue(rolloutId);
        move.Parameters.AddWithValue(now);
        move.Parameters.AddWithValue(RolloutNames.Names(moves.Keys));
        move.Parameters.AddWithValue(RolloutNames.Names(moves.Values));
        await move.ExecuteNonQueryAsync(cancellationToken);
    }
}
