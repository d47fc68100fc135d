using Fleet.Controller.Hosting;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Controller.Agents;

/// <summary>
/// Writes a whole batch of heartbeats with one statement. Each also says until when the agent
/// counts as connected, on every replica: the down grace period after it, or the moment its stream ended.
/// </summary>
internal sealed class HeartbeatStore(NpgsqlDataSource dataSource, IOptions<ControllerOptions> options) : IHeartbeatStore
{
    // The last_seen guard keeps an older batch (retried after a failure) from moving time backwards;
    // a revoked agent's last_seen was recorded by the revocation and stays as it was.
    private const string Sql = """
        update agents a
           set last_seen = u.seen, status = coalesce(u.status, a.status),
               connected_until = case when u.disconnected then u.seen else u.seen + $5 end
          from unnest($1::uuid[], $2::timestamptz[], $3::bytea[], $4::boolean[]) as u(id, seen, status, disconnected)
         where a.id = u.id and a.revoked_at is null and (a.last_seen is null or a.last_seen < u.seen)
        """;

    public async Task WriteAsync(IReadOnlyDictionary<Guid, PendingHeartbeat> batch, CancellationToken cancellationToken)
    {
        var ids = new Guid[batch.Count];
        var seen = new DateTime[batch.Count];
        var statuses = new byte[]?[batch.Count];
        var disconnected = new bool[batch.Count];
        var i = 0;
        foreach (var (agentId, heartbeat) in batch)
        {
            ids[i] = agentId;
            seen[i] = heartbeat.SeenAt.UtcDateTime;
            statuses[i] = heartbeat.Status?.ToByteArray();
            disconnected[i] = heartbeat.Disconnected;
            i++;
        }

        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = seen, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = statuses, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = disconnected, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.DownAfter, NpgsqlDbType = NpgsqlDbType.Interval });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
