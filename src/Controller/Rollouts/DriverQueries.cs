using Fleet.Contracts.V1;
using Google.Protobuf;
using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>The driver's SQL: load a rollout as a snapshot, and write what a step decided.</summary>
internal static class DriverQueries
{
    /// <summary>Loads a rollout at <paramref name="now"/>; <paramref name="waitLimit"/>: how long it may wait for an approval or a promotion.</summary>
    public static async Task<(RolloutSnapshot Snapshot, DispatchInfo Work)?> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string rolloutId, TimeSpan waitLimit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        RolloutSnapshot snapshot;
        DispatchInfo work;
        await using (var command = new NpgsqlCommand(
            "select r.state, r.strategy, r.auto_promote, r.promoted, r.progress_deadline_seconds, r.app, r.environment, r.sequence, " +
            "r.min_healthy_seconds, e.envelope, r.once_hooks, r.created_at, e.expires_at from rollouts r join releases e on e.id = r.release_id where r.id = $1" +
            (transaction is null ? "" : " for update of r"), connection, transaction))
        {
            command.Parameters.AddWithValue(rolloutId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            snapshot = new RolloutSnapshot(rolloutId, RolloutNames.Rollout(reader.GetString(0)), reader.GetString(1), reader.GetBoolean(2),
                reader.GetBoolean(3), TimeSpan.FromSeconds(reader.GetInt32(4)), [])
            {
                Wait = new RolloutWait(reader.GetFieldValue<DateTimeOffset>(11), waitLimit, reader.GetFieldValue<DateTimeOffset>(12)),
            };
            work = new DispatchInfo(reader.GetString(5), reader.GetString(6), reader.GetInt64(7), ByteString.CopyFrom(reader.GetFieldValue<byte[]>(9)),
                reader.GetInt32(8), reader.GetBoolean(10), new Dictionary<Guid, long>(), new Dictionary<Guid, long>());
        }

        var targets = new List<TargetSnapshot>();
        var previous = new Dictionary<Guid, long>();
        await using (var command = new NpgsqlCommand(
            "select agent_id, agent_name, wave, state, state_since, detail, previous_sequence, " +
            "t.state = $2 and exists (select 1 from agents a where a.id = t.agent_id and a.connected_until > $3) " +
            "from rollout_targets t where rollout_id = $1", connection, transaction))
        {
            command.Parameters.AddWithValue(rolloutId);
            command.Parameters.AddWithValue(RolloutNames.Name(TargetState.Pending));
            command.Parameters.AddWithValue(now);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var agentId = reader.GetGuid(0);
                targets.Add(new TargetSnapshot(agentId, reader.GetString(1), reader.GetInt32(2), RolloutNames.Target(reader.GetString(3)),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetBoolean(7)));
                previous[agentId] = reader.GetInt64(6);
            }
        }

        var applied = await AppliedAsync(connection, transaction, work.App, work.Environment, cancellationToken);
        return (snapshot with { Targets = targets }, work with { Applied = applied, Previous = previous });
    }

    /// <summary>
    /// What each agent last applied of APP in ENVIRONMENT. Read on its own and joined in memory:
    /// joined in SQL, a table just grown by a whole fleet (statistics not yet refreshed) made the
    /// planner scan it once per target, 10,000 × 10,000 rows, seconds per driver step.
    /// </summary>
    public static async Task<Dictionary<Guid, long>> AppliedAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string app, string environment, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<Guid, long>();
        await using var command = new NpgsqlCommand("select agent_id, sequence from agent_releases where app = $1 and environment = $2", connection, transaction);
        command.Parameters.AddWithValue(app);
        command.Parameters.AddWithValue(environment);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetGuid(0)] = reader.GetInt64(1);
        }

        return applied;
    }

    public static async Task ApplyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string rolloutId, StepResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One statement for all changes of a step (a wave of 10,000 hosts starts at once).
        if (result.Changes.Count > 0)
        {
            // A later change of the same target wins, as it would statement by statement.
            var changes = result.Changes.GroupBy(c => c.AgentId).Select(g => g.Last()).ToList();
            await using var update = new NpgsqlCommand(
                "update rollout_targets t set state = c.state, detail = case when c.detail = '' then t.detail else c.detail end, state_since = $2, updated_at = $2 " +
                "from unnest($3::uuid[], $4::text[], $5::text[]) as c (agent_id, state, detail) where t.rollout_id = $1 and t.agent_id = c.agent_id",
                connection, transaction);
            update.Parameters.AddWithValue(rolloutId);
            update.Parameters.AddWithValue(now);
            update.Parameters.AddWithValue(changes.Select(c => c.AgentId).ToArray());
            update.Parameters.AddWithValue(changes.Select(c => RolloutNames.Name(c.State)).ToArray());
            update.Parameters.AddWithValue(changes.Select(c => c.Detail).ToArray());
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        if (result.Promote)
        {
            await using var promote = new NpgsqlCommand("update rollouts set promoted = true where id = $1", connection, transaction);
            promote.Parameters.AddWithValue(rolloutId);
            await promote.ExecuteNonQueryAsync(cancellationToken);
        }

        switch (result.NewState)
        {
            case RolloutState.Succeeded:
                await RolloutTargets.EndAsync(connection, transaction, rolloutId, RolloutState.Succeeded, result.Reason, now, cancellationToken);
                await Convergence.SucceededAsync(connection, transaction, rolloutId, now, cancellationToken);
                break;
            case { } ended when !RolloutMachine.IsActive(ended):
                await RolloutTargets.EndAsync(connection, transaction, rolloutId, ended, result.Reason, now, cancellationToken);
                break;
            case { } state:
                await using (var update = new NpgsqlCommand("update rollouts set state = $2, reason = $3 where id = $1", connection, transaction))
                {
                    update.Parameters.AddWithValue(rolloutId);
                    update.Parameters.AddWithValue(RolloutNames.Name(state));
                    update.Parameters.AddWithValue(result.Reason);
                    await update.ExecuteNonQueryAsync(cancellationToken);
                }

                break;
        }
    }
}
