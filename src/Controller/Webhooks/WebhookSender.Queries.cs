using Fleet.Controller.Notifications;
using Npgsql;

namespace Fleet.Controller.Webhooks;

internal sealed partial class WebhookSender
{
    private async Task<List<(long DeliveryId, int Attempts, WebhookRow Webhook, Notification Notification)>> DueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            select d.id, d.attempts, w.name, w.url, w.format, w.secret, w.events,
                   n.id, n.created_at, n.kind, n.app, n.environment, n.status, n.duration_seconds, n.summary, n.detail::text
            from webhook_deliveries d
            join webhooks w on w.name = d.webhook
            join notifications n on n.id = d.notification_id
            where d.delivered_at is null and d.failed_at is null and d.next_attempt_at <= $1
            order by d.next_attempt_at, d.id
            limit $2
            for update of d skip locked
            """, connection, transaction);
        command.Parameters.AddWithValue(time.GetUtcNow());
        command.Parameters.AddWithValue(Batch);
        var due = new List<(long, int, WebhookRow, Notification)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add((reader.GetInt64(0), reader.GetInt32(1), WebhookStore.ReadRow(reader, 2), new Notification(
                reader.GetInt64(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetString(9), reader.GetString(10), reader.GetString(11),
                reader.GetString(12), reader.IsDBNull(13) ? null : reader.GetDouble(13), reader.GetString(14), reader.GetString(15))));
        }

        return due;
    }

    private async Task RecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long deliveryId, int attempts, DeliveryResult result, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var update = result.Delivered
            ? new NpgsqlCommand("update webhook_deliveries set attempts = $2, delivered_at = $3 where id = $1", connection, transaction)
            : new NpgsqlCommand(
                "update webhook_deliveries set attempts = $2, last_error = $4, last_error_at = $3, " +
                "failed_at = case when $2 >= $6 then $3 end, next_attempt_at = $3 + $5 where id = $1", connection, transaction);
        update.Parameters.AddWithValue(deliveryId);
        update.Parameters.AddWithValue(attempts);
        update.Parameters.AddWithValue(now);
        if (!result.Delivered)
        {
            update.Parameters.AddWithValue(result.Error);
            update.Parameters.AddWithValue(WebhookBackoff.After(attempts, Random.Shared.NextDouble()));
            update.Parameters.AddWithValue(WebhookBackoff.MaxAttempts);
        }

        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(3530, LogLevel.Warning, "Webhook {Name} ({Origin}): delivery of {Kind} failed (attempt {Attempt}): {Error}")]
        public static partial void DeliveryFailed(ILogger logger, string name, string origin, string kind, int attempt, string error);

        [LoggerMessage(3531, LogLevel.Warning, "Delivering webhooks failed; retrying")]
        public static partial void DeliverLoopFailed(ILogger logger, Exception exception);
    }
}
