using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>
/// Stores what agents report. Events arrive at least once: each is stored de-duplicated on
/// (agent, sequence) and only a new one moves its rollout target. Hello.applied is recorded so the
/// driver sends only what an agent has not applied. Events that carry a report (backups,
/// certificates) go to the recorder registered for their kind, in the same transaction.
/// </summary>
internal sealed partial class RolloutEvents(
    NpgsqlDataSource dataSource, RolloutChanges changes, ProgressEventWriter progress, IEnumerable<IAgentReportRecorder> recorders,
    TimeProvider time, ILogger<RolloutEvents> logger)
{
    private readonly Dictionary<AgentEventKind, IAgentReportRecorder> _recorders = recorders.ToDictionary(r => r.Kind);

    /// <summary>The driver sends the new stream what its agent has not applied; other replicas have nothing to do.</summary>
    public void AgentConnected() => changes.NotifyLocal();

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
        // The most frequent kind, and the one every host of a wave sends at once: stored in batches.
        if (agentEvent.Kind == AgentEventKind.Progress)
        {
            await progress.RecordAsync(agentId, agentEvent, cancellationToken);
            return;
        }

        var now = time.GetUtcNow();
        if (_recorders.TryGetValue(agentEvent.Kind, out var recorder))
        {
            await RecordReportAsync(recorder, agentId, agentEvent, now, cancellationToken);
            return;
        }

        var (state, from) = Transition(agentEvent.Kind);
        // One statement (atomic on its own, one round trip: 10,000 hosts report at once): store the
        // event unless it is a duplicate; only a new one moves its target, and a HEALTHY or REVERTED
        // one records what the host now runs.
        await using var command = dataSource.CreateCommand(
            "with inserted as (insert into agent_events (agent_id, sequence, received_at, at, rollout_id, kind, step, detail) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (agent_id, sequence) do nothing returning agent_id), " +
            "moved as (update rollout_targets t set state = coalesce($9, t.state), step = case when $7 = '' then t.step else $7 end, " +
            "detail = case when $10 = '' then t.detail else $10 end, log_tail = case when $11 = '' then t.log_tail else $11 end, " +
            "state_since = $3, updated_at = $3 from rollouts r " +
            "where $12 and exists (select 1 from inserted) and t.rollout_id = $5 and t.agent_id = $1 and t.state = any($13) and r.id = t.rollout_id " +
            "returning r.app, r.environment, t.previous_sequence), " +
            "applied as (insert into agent_releases (agent_id, app, environment, sequence) " +
            "select $1, app, environment, coalesce($14, previous_sequence) from moved where $15 " +
            "on conflict (agent_id, app, environment) do update set sequence = excluded.sequence) " +
            "select exists (select 1 from inserted)");
        AddEventParameters(command.Parameters, agentId, agentEvent, now);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)state ?? DBNull.Value);
        // A revert keeps the detail of the failure that caused it.
        command.Parameters.AddWithValue(agentEvent.Kind == AgentEventKind.Reverted ? "" : agentEvent.Detail);
        command.Parameters.AddWithValue(agentEvent.LogTail);
        command.Parameters.AddWithValue(state is not null);
        command.Parameters.AddWithValue(from);
        // HEALTHY: the host runs the reported release; REVERTED: the one it ran before the rollout.
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Bigint, agentEvent.Kind == AgentEventKind.Healthy ? agentEvent.ReleaseSequence : DBNull.Value);
        command.Parameters.AddWithValue(agentEvent.Kind is AgentEventKind.Healthy or AgentEventKind.Reverted);
        if (await command.ExecuteScalarAsync(cancellationToken) is not true)
        {
            Log.Duplicate(logger, agentId, agentEvent.Sequence);
            return;
        }

        changes.Notify();
    }

    // A report (backup run, certificate state) moves no rollout: the event and what it carries are stored together, once.
    private async Task RecordReportAsync(IAgentReportRecorder recorder, Guid agentId, AgentEvent agentEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            "insert into agent_events (agent_id, sequence, received_at, at, rollout_id, kind, step, detail) values ($1, $2, $3, $4, $5, $6, $7, $8) " +
            "on conflict (agent_id, sequence) do nothing", connection, transaction))
        {
            AddEventParameters(insert.Parameters, agentId, agentEvent, now);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                Log.Duplicate(logger, agentId, agentEvent.Sequence);
                return;
            }
        }

        await recorder.RecordAsync(connection, transaction, agentId, agentEvent, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    // $1–$8 of both statements: the agent_events row.
    private static void AddEventParameters(NpgsqlParameterCollection parameters, Guid agentId, AgentEvent agentEvent, DateTimeOffset now)
    {
        parameters.AddWithValue(agentId);
        parameters.AddWithValue(agentEvent.Sequence);
        parameters.AddWithValue(now);
        parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)agentEvent.At?.ToDateTimeOffset() ?? DBNull.Value);
        parameters.AddWithValue(agentEvent.RolloutId);
        parameters.AddWithValue(agentEvent.Kind.ToString());
        parameters.AddWithValue(agentEvent.Step);
        parameters.AddWithValue(agentEvent.Detail);
    }

    /// <summary>The target state an event moves to, and the states it may move from (late events never undo a decision).</summary>
    private static (string? State, string[] From) Transition(AgentEventKind kind) => kind switch
    {
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
