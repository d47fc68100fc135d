using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Controller.Backups;

/// <summary>Stores the report of each BACKUP agent event in backup_runs, in the event's transaction.</summary>
internal sealed class BackupReportRecorder(TimeProvider time) : IAgentReportRecorder
{
    public AgentEventKind Kind => AgentEventKind.Backup;

    public async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid agentId, AgentEvent agentEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        var r = agentEvent.Backup ?? new BackupReport { Succeeded = false, Error = "the agent sent a backup event without a report" };
        await using var insert = new NpgsqlCommand(
            "insert into backup_runs (agent_id, sequence, received_at, operation, trigger, app, name, succeeded, backup_id, error, " +
            "started_at, finished_at, size_bytes, sha256, release_sequence, report) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) on conflict (agent_id, sequence) do nothing",
            connection, transaction);
        insert.Parameters.AddWithValue(agentId);
        insert.Parameters.AddWithValue(agentEvent.Sequence);
        insert.Parameters.AddWithValue(time.GetUtcNow());
        insert.Parameters.AddWithValue(r.Operation.ToString());
        insert.Parameters.AddWithValue(r.Trigger.ToString());
        insert.Parameters.AddWithValue(r.App);
        insert.Parameters.AddWithValue(r.Name);
        insert.Parameters.AddWithValue(r.Succeeded);
        insert.Parameters.AddWithValue(r.BackupId);
        insert.Parameters.AddWithValue(r.Error);
        insert.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, (object?)r.StartedAt?.ToDateTimeOffset() ?? DBNull.Value);
        insert.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, (object?)r.FinishedAt?.ToDateTimeOffset() ?? DBNull.Value);
        insert.Parameters.AddWithValue(r.SizeBytes);
        insert.Parameters.AddWithValue(r.Sha256);
        insert.Parameters.AddWithValue(r.ReleaseSequence);
        insert.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonFormatter.Default.Format(r));
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }
}
