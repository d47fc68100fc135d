using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Fleet.Controller.Hosting;
using Microsoft.Extensions.Options;
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
    IOptions<ControllerOptions> options, TimeProvider time, ILogger<RolloutEvents> logger)
{
    private readonly Dictionary<AgentEventKind, IAgentReportRecorder> _recorders = recorders.ToDictionary(r => r.Kind);

    /// <summary>The driver sends the new stream what its agent has not applied; other replicas have nothing to do.</summary>
    public void AgentConnected() => changes.NotifyLocal();

    /// <summary>
    /// A host connected: records what it runs (Hello.applied), then moves its targets as a returning
    /// host's should (<see cref="Convergence.ConnectAsync"/>); the driver, woken by <see cref="AgentConnected"/>, sends the rest.
    /// </summary>
    public async Task RecordHelloAsync(Guid agentId, IEnumerable<AppliedRelease> applied, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var release in applied)
        {
            await SetAppliedAsync(connection, null, agentId, release.App, release.Environment, release.Sequence, cancellationToken);
        }

        if (await Convergence.ConnectAsync(connection, agentId, time.GetUtcNow(), options.Value.DownAfter, cancellationToken) is > 0 and var moved)
        {
            Log.Converging(logger, agentId, moved);
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

        var moves = RolloutMachine.EventMoves(agentEvent.Kind);
        // One statement (atomic on its own, one round trip: 10,000 hosts report at once): store the
        // event unless it is a duplicate; only a new one moves its target, as the state machine
        // decides, and a HEALTHY or REVERTED one records what the host now runs.
        await using var command = dataSource.CreateCommand(
            "with inserted as (insert into agent_events (agent_id, sequence, received_at, at, rollout_id, kind, step, detail) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (agent_id, sequence) do nothing returning agent_id), " +
            "moved as (update rollout_targets t set state = m.to_state, step = case when $7 = '' then t.step else $7 end, " +
            "detail = case when $9 = '' then t.detail else $9 end, log_tail = case when $10 = '' then t.log_tail else $10 end, " +
            "state_since = $3, updated_at = $3 from rollouts r, unnest($11::text[], $12::text[], $13::boolean[]) as m (from_state, to_state, succeeded) " +
            "where exists (select 1 from inserted) and t.rollout_id = $5 and t.agent_id = $1 and r.id = t.rollout_id " +
            "and t.state = m.from_state and m.succeeded = (r.state = $14) " +
            "returning r.app, r.environment, t.previous_sequence), " +
            "applied as (insert into agent_releases (agent_id, app, environment, sequence) " +
            "select $1, app, environment, coalesce($15, previous_sequence) from moved where $16 " +
            "on conflict (agent_id, app, environment) do update set sequence = excluded.sequence) " +
            "select exists (select 1 from inserted)");
        AddEventParameters(command.Parameters, agentId, agentEvent, now);
        // A revert keeps the detail of the failure that caused it.
        command.Parameters.AddWithValue(agentEvent.Kind == AgentEventKind.Reverted ? "" : agentEvent.Detail);
        command.Parameters.AddWithValue(agentEvent.LogTail);
        command.Parameters.AddWithValue(moves.Select(m => RolloutNames.Name(m.From)).ToArray());
        command.Parameters.AddWithValue(moves.Select(m => RolloutNames.Name(m.To)).ToArray());
        command.Parameters.AddWithValue(moves.Select(m => m.RolloutSucceeded).ToArray());
        command.Parameters.AddWithValue(RolloutNames.Name(RolloutState.Succeeded));
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

        [LoggerMessage(3200, LogLevel.Information, "Agent {AgentId} connected: {Moved} of its rollout targets moved (converging, resumed or reverted)")]
        public static partial void Converging(ILogger logger, Guid agentId, long moved);
    }
}
