using Npgsql;

namespace Fleet.Controller.Notifications;

/// <summary>Reads and marks rows of the notifications table.</summary>
internal static class NotificationStore
{
    private const string Columns = "id, created_at, kind, app, environment, status, duration_seconds, summary, detail::text";

    /// <summary>The oldest notifications not yet dispatched, locked for this transaction; rows another replica holds are skipped.</summary>
    public static async Task<List<Notification>> ClaimPendingAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"select {Columns} from notifications where dispatched_at is null order by id limit $1 for update skip locked", connection, transaction);
        command.Parameters.AddWithValue(limit);
        return await ReadAsync(command, cancellationToken);
    }

    public static async Task MarkDispatchedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Notification> notifications, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("update notifications set dispatched_at = $1 where id = any($2)", connection, transaction);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(notifications.Select(n => n.Id).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<List<Notification>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<Notification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new Notification(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.GetString(7), reader.GetString(8)));
        }

        return result;
    }
}
