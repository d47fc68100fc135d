using Fleet.Contracts.V1;
using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>
/// Stores what agents report. Events arrive at least once: each is stored de-duplicated on
/// (agent, sequence) and only a new one moves its rollout target. Hello.applied is recorded so the
/// driver sends only what an agent has not applied.
/// </summary>
internal sealed partial class RolloutEvents(NpgsqlDataSource dataSource, RolloutChanges changes, TimeProvider time, ILogger<RolloutEvents> logger)
{
    public void AgentConnected() => changes.Notify();

    public async Task RecordAppliedAsync(Guid agentId, IEnumerable<AppliedRelease> applied, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var release in applied)
        {
            await SetAppliedAsync(connection, null, agentId, release.App, release.Environment, release.Sequence, cancellationToken);
        }
    }

    public async Task RecordAsync(Guid agentId, AgentEvent agentEvent, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            "insert into agent_events (agent_id, sequence, received_at, at, rollout_id, kind, step, detail) values ($1, $2, $3, $4, $5, $6, $7, $8) " +
            "on conflict (agent_id, sequence) do nothing", connection, transaction))
        {
            insert.Parameters.AddWithValue(agentId);
            insert.Parameters.AddWithValue(agentEvent.Sequence);
            insert.Parameters.AddWithValue(now);
            insert.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)agentEvent.At?.ToDateTimeOffset() ?? DBNull.Value);
            insert.Parameters.AddWithValue(agentEvent.RolloutId);
            insert.Parameters.AddWithValue(agentEvent.Kind.ToString());
            insert.Parameters.AddWithValue(agentEvent.Step);
            insert.Parameters.AddWithValue(agentEvent.Detail);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                Log.Duplicate(logger, agentId, agentEvent.Sequence);
                return;
            }
        }

        var (state, from) = Transition(agentEvent.Kind);
        if (state is not null || agentEvent.Kind == AgentEventKind.Progress)
        {
            await using var update = new NpgsqlCommand(
                "update rollout_targets set state = coalesce($3, state), step = case when $4 = '' then step else $4 end, " +
                "detail = case when $5 = '' then detail else $5 end, log_tail = case when $6 = '' then log_tail else $6 end, " +
                "state_since = $7, updated_at = $7 where rollout_id = $1 and agent_id = $2 and state = any($8) " +
                "returning (select app from rollouts where id = $1), (select environment from rollouts where id = $1), previous_sequence",
                connection, transaction);
            update.Parameters.AddWithValue(agentEvent.RolloutId);
            update.Parameters.AddWithValue(agentId);
            update.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)state ?? DBNull.Value);
            update.Parameters.AddWithValue(agentEvent.Step);
            // A revert keeps the detail of the failure that caused it.
            update.Parameters.AddWithValue(agentEvent.Kind == AgentEventKind.Reverted ? "" : agentEvent.Detail);
            update.Parameters.AddWithValue(agentEvent.LogTail);
            update.Parameters.AddWithValue(now);
            update.Parameters.AddWithValue(from);
            string? app = null, environment = null;
            long previous = 0;
            await using (var reader = await update.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    (app, environment, previous) = (reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
                }
            }

            if (app is not null && environment is not null && agentEvent.Kind is AgentEventKind.Healthy or AgentEventKind.Reverted)
            {
                var sequence = agentEvent.Kind == AgentEventKind.Healthy ? agentEvent.ReleaseSequence : previous;
                await SetAppliedAsync(connection, transaction, agentId, app, environment, sequence, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        // A progress report only pushes its host's deadline further out: nothing for the driver to decide.
        if (agentEvent.Kind == AgentEventKind.Progress)
        {
            changes.NotifyProgress();
        }
        else
        {
            changes.Notify();
        }
    }

    /// <summary>The target state an event moves to, and the states it may move from (late events never undo a decision).</summary>
    private static (string? State, string[] From) Transition(AgentEventKind kind) => kind switch
    {
        AgentEventKind.Progress => (null, ["applying", "verifying", "reverting"]),
        AgentEventKind.Applied => ("verifying", ["applying"]),
        AgentEventKind.Healthy => ("done", ["applying", "verifying"]),
        // A revert can fail too (e.g. nothing earlier to return to): the host is failed, not reverting forever.
        AgentEventKind.Failed => ("failed", ["applying", "verifying", "reverting"]),
        AgentEventKind.Unhealthy => ("failed", ["applying", "verifying"]),
        AgentEventKind.Refused => ("refused", ["applying"]),
        AgentEventKind.Reverted => ("reverted", ["applying", "verifying", "done", "reverting", "failed"]),
        _ => (null, []),
    };

    private static async Task SetAppliedAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid agentId, string app, string environment, long sequence, CancellationToken cancellationToken)
    {
        await using var upsert = new NpgsqlCommand(
            "insert into agent_releases (agent_id, app, environment, sequence) values ($1, $2, $3, $4) " +
            "on conflict (agent_id, app, environment) do update set sequence = excluded.sequence", connection, transaction);
        upsert.Parameters.AddWithValue(agentId);
        upsert.Parameters.AddWithValue(app);
        upsert.Parameters.AddWithValue(environment);
        upsert.Parameters.AddWithValue(sequence);
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(3100, LogLevel.Debug, "Event {Sequence} of agent {AgentId} was already stored")]
        public static partial void Duplicate(ILogger logger, Guid agentId, long sequence);
    }
}
