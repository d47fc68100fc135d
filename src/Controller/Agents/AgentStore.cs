using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Controller.Agents;

/// <summary>Reads and writes the agents table. Every write here commits before the caller answers.</summary>
internal sealed class AgentStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns = "id, name, labels::text, enrolled_at, revoked_at, last_seen, status, cert_not_after, " +
        "(select coalesce(jsonb_agg(jsonb_build_object('app', r.app, 'environment', r.environment, 'sequence', r.sequence) " +
        "order by r.app, r.environment), '[]') from agent_releases r where r.agent_id = agents.id)::text, encryption_public_key";

    public static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AgentRow agent, string agentVersion, string certSerial, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "insert into agents (id, name, labels, agent_version, enrolled_at, cert_serial, cert_not_after, encryption_public_key) values ($1, $2, $3, $4, $5, $6, $7, $8)",
            connection, transaction);
        command.Parameters.AddWithValue(agent.Id);
        command.Parameters.AddWithValue(agent.Name);
        command.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(agent.Labels));
        command.Parameters.AddWithValue(agentVersion);
        command.Parameters.AddWithValue(agent.EnrolledAt);
        command.Parameters.AddWithValue(certSerial);
        command.Parameters.AddWithValue(agent.CertificateNotAfter);
        command.Parameters.AddWithValue(NpgsqlDbType.Bytea, (object?)agent.EncryptionPublicKey ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<AgentRow?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        SingleAsync($"select {Columns} from agents where id = $1", id, cancellationToken);

    /// <summary>The agent that holds the name now, or else the one that held it last.</summary>
    public Task<AgentRow?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        SingleAsync($"select {Columns} from agents where name = $1 order by revoked_at desc nulls first limit 1", name, cancellationToken);

    public async Task<List<AgentRow>> ListAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from agents where labels @> $1 order by name, enrolled_at");
        command.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonSerializer.Serialize(labelSelector));
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>
    /// Marks the active agent of that name revoked; null when there is none. Its last heartbeat
    /// (<paramref name="lastHeartbeat"/>, from the live stream) is recorded in the same statement,
    /// because the heartbeat writer ignores revoked agents from then on.
    /// </summary>
    public async Task<AgentRow?> RevokeAsync(string name, Func<Guid, DateTimeOffset?> lastHeartbeat, CancellationToken cancellationToken)
    {
        await using var find = dataSource.CreateCommand("select id from agents where name = $1 and revoked_at is null");
        find.Parameters.AddWithValue(name);
        if (await find.ExecuteScalarAsync(cancellationToken) is not Guid id)
        {
            return null;
        }

        await using var command = dataSource.CreateCommand(
            $"update agents set revoked_at = $2, last_seen = greatest(last_seen, $3) where id = $1 and revoked_at is null returning {Columns}");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(time.GetUtcNow());
        command.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, (object?)lastHeartbeat(id) ?? DBNull.Value);
        var rows = await ReadAllAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Records a renewed certificate, unless the agent was revoked meanwhile; returns whether it was.</summary>
    public async Task<bool> RecordCertificateAsync(Guid id, string serial, DateTimeOffset notAfter, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("update agents set cert_serial = $2, cert_not_after = $3 where id = $1 and revoked_at is null");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(serial);
        command.Parameters.AddWithValue(notAfter);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<AgentRow?> SingleAsync(string sql, object key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(key);

        var rows = await ReadAllAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    private static async Task<List<AgentRow>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<AgentRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AgentRow(
                reader.GetGuid(0),
                reader.GetString(1),
                JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2)) ?? [],
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<byte[]>(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<byte[]>(9)));
        }

        return rows;
    }
}
