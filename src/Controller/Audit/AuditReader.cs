using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace Fleet.Controller.Audit;

/// <summary>
/// Reads the audit log for fleetctl events: who (the token and its description), what, to which
/// app and environment, when. Release actions also name the keys that signed the release.
/// </summary>
internal sealed class AuditReader(NpgsqlDataSource dataSource)
{
    // Release and rollout subjects are APP/ENV#SEQUENCE; backup restores APP/NAME.
    private const string Sql =
        """
        select a.id, a.at, a.action, a.token_id, coalesce(t.description, ''), a.subject, a.detail,
               case when a.action ~ '^(release|rollout|backup)\.' then split_part(a.subject, '/', 1) else '' end,
               case when a.subject ~ '^[^/]+/[^#]+#[0-9]+$' and a.action ~ '^(release|rollout)\.' then split_part(split_part(a.subject, '/', 2), '#', 1) else '' end,
               r.signers
        from audit_log a
        left join tokens t on t.id = a.token_id
        left join releases r on a.action like 'release.%' and r.app || '/' || r.environment || '#' || r.sequence = a.subject
        where ($1::timestamptz is null or a.at >= $1)
          and ($2 = '' or (a.action ~ '^(release|rollout|backup)\.' and split_part(a.subject, '/', 1) = $2))
        order by a.id desc
        limit $3
        """;

    public async Task<List<AuditEvent>> ListAsync(DateTimeOffset? since, string app, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)since ?? DBNull.Value);
        command.Parameters.AddWithValue(app);
        command.Parameters.AddWithValue(limit);
        var events = new List<AuditEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var auditEvent = new AuditEvent
            {
                Id = reader.GetInt64(0),
                At = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(1)),
                Action = reader.GetString(2),
                TokenId = reader.GetString(3),
                TokenDescription = reader.GetString(4),
                Subject = reader.GetString(5),
                Detail = reader.GetString(6),
                App = reader.GetString(7),
                Environment = reader.GetString(8),
            };
            if (!reader.IsDBNull(9))
            {
                auditEvent.Signers.AddRange(reader.GetFieldValue<string[]>(9));
            }

            events.Add(auditEvent);
        }

        return events;
    }
}
