using Fleet.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Controller.Certificates;

/// <summary>The latest state of every certificate per agent (table agent_certificates).</summary>
internal sealed class CertificateStore(NpgsqlDataSource dataSource)
{
    /// <summary>Stores <paramref name="report"/> unless a report at least as recent is stored; a removed certificate is forgotten.</summary>
    public static async Task UpsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid agentId, CertificateReport report, DateTimeOffset reportedAt, CancellationToken cancellationToken)
    {
        await using var command = report.Removed
            ? new NpgsqlCommand("delete from agent_certificates where agent_id = $1 and name = $2 and reported_at <= $3", connection, transaction)
            : new NpgsqlCommand(
                """
                insert into agent_certificates (agent_id, name, reported_at, report, not_after, last_renewal_succeeded)
                values ($1, $2, $3, $4, $5, $6)
                on conflict (agent_id, name) do update
                set report = excluded.report, not_after = excluded.not_after,
                    last_renewal_succeeded = excluded.last_renewal_succeeded, reported_at = excluded.reported_at
                where agent_certificates.reported_at <= excluded.reported_at
                """,
                connection, transaction);
        command.Parameters.AddWithValue(agentId);
        command.Parameters.AddWithValue(report.Name);
        command.Parameters.AddWithValue(reportedAt);
        if (!report.Removed)
        {
            command.Parameters.AddWithValue(NpgsqlDbType.Jsonb, JsonFormatter.Default.Format(report));
            command.Parameters.AddWithValue(NpgsqlDbType.TimestampTz, report.NotAfter is null ? DBNull.Value : report.NotAfter.ToDateTimeOffset());
            command.Parameters.AddWithValue(NpgsqlDbType.Boolean, report.LastRenewalAt is null ? DBNull.Value : report.LastRenewalSucceeded);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task UpsertAsync(Guid agentId, CertificateReport report, DateTimeOffset reportedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await UpsertAsync(connection, null, agentId, report, reportedAt, cancellationToken);
    }

    /// <summary>fleetctl status flags certificates with fewer days left than this.</summary>
    public static readonly TimeSpan ExpiringSoon = TimeSpan.FromDays(14);

    private const string Select = "select a.name, c.report::text, c.reported_at from agent_certificates c join agents a on a.id = c.agent_id where a.revoked_at is null";

    /// <summary>Certificates of agents that are not revoked, by agent name then certificate name; <paramref name="agent"/> empty for all.</summary>
    public async Task<List<AgentCertificate>> ListAsync(string agent, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} and ($1 = '' or a.name = $1) order by a.name, c.name");
        command.Parameters.AddWithValue(agent);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Certificates expiring within <see cref="ExpiringSoon"/> of <paramref name="now"/>, or whose last renewal failed.</summary>
    public async Task<List<AgentCertificate>> ProblemsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{Select} and (c.not_after < $1 or c.last_renewal_succeeded = false) order by a.name, c.name");
        command.Parameters.AddWithValue(now + ExpiringSoon);
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<List<AgentCertificate>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<AgentCertificate>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new AgentCertificate
            {
                Agent = reader.GetString(0),
                Certificate = JsonParser.Default.Parse<CertificateReport>(reader.GetString(1)),
                ReportedAt = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(2)),
            });
        }

        return result;
    }
}
