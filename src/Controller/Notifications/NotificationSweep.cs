using Fleet.Controller.Certificates;
using Npgsql;

namespace Fleet.Controller.Notifications;

/// <summary>
/// Writes the notifications that no write announces: an agent that stopped sending heartbeats and
/// a certificate that came within <see cref="CertificateStore.ExpiringSoon"/> of its expiry. Once
/// per agent silence (keyed by its last heartbeat) and per certificate (keyed by its expiry).
/// </summary>
internal static class NotificationSweep
{
    public static async Task<int> RunAsync(NpgsqlConnection connection, DateTimeOffset now, TimeSpan downAfter, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    insert into notifications (kind, event_key, summary, detail)
                    select 'agent.down', 'agent.down:' || id || ':' || last_seen,
                           format('agent %s is down: no heartbeat since %s', name, to_char(last_seen at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                           jsonb_build_object('agent', name, 'lastSeen', last_seen)
                    from agents where revoked_at is null and last_seen < $1
                    on conflict (event_key) do nothing
                    """) { Parameters = { new() { Value = now - downAfter } } },
                new NpgsqlBatchCommand(
                    """
                    insert into notifications (kind, event_key, summary, detail)
                    select 'certificate.expiring', 'certificate.expiring:' || c.agent_id || ':' || c.name || ':' || c.not_after,
                           format('certificate %s on %s expires %s', c.name, a.name, to_char(c.not_after at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
                           jsonb_build_object('agent', a.name, 'certificate', c.name, 'notAfter', c.not_after)
                    from agent_certificates c join agents a on a.id = c.agent_id
                    where a.revoked_at is null and c.not_after < $1
                    on conflict (event_key) do nothing
                    """) { Parameters = { new() { Value = now + CertificateStore.ExpiringSoon } } },
            },
        };
        return await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
