using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Fleet.Contracts.V1;
using Fleet.Controller.Audit;
using Fleet.Controller.Notifications;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace Fleet.Controller.Webhooks;

/// <summary>The webhooks table and the outbox of their deliveries.</summary>
internal sealed partial class WebhookStore(NpgsqlDataSource dataSource, AuditLog audit, TimeProvider time)
{
    /// <summary>Given-up deliveries count as a problem in fleetctl status for this long.</summary>
    public static readonly TimeSpan FailedShownFor = TimeSpan.FromDays(1);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}\\z")]
    private static partial Regex NamePattern();

    /// <summary>Adds a webhook; returns its signing secret (json) or "" (slack).</summary>
    /// <exception cref="ArgumentException">A bad name, URL, format or event kind; nothing is written.</exception>
    /// <exception cref="InvalidOperationException">A webhook of that name exists.</exception>
    public async Task<(WebhookRow Webhook, DateTimeOffset CreatedAt)> AddAsync(
        string name, string url, string format, IReadOnlyList<string> events, string tokenId, CancellationToken cancellationToken)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"webhook name '{name}' must be 1-63 of a-z, 0-9 and '-', starting with a letter or digit");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0)
        {
            throw new ArgumentException("the webhook URL must be an absolute http:// or https:// URL without user:password");
        }

        var unknown = events.Where(e => !Notification.Kinds.Contains(e, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unknown event kind {string.Join(", ", unknown)}; known: {string.Join(", ", Notification.Kinds)}");
        }

        var secret = format == "json" ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) : "";
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            "insert into webhooks (name, url, format, secret, events, created_at, created_by) values ($1, $2, $3, $4, $5, $6, $7) on conflict (name) do nothing",
            connection, transaction))
        {
            insert.Parameters.AddWithValue(name);
            insert.Parameters.AddWithValue(uri.AbsoluteUri);
            insert.Parameters.AddWithValue(format);
            insert.Parameters.AddWithValue(secret);
            insert.Parameters.AddWithValue(events.Distinct(StringComparer.Ordinal).ToArray());
            insert.Parameters.AddWithValue(now);
            insert.Parameters.AddWithValue(tokenId);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw new InvalidOperationException($"a webhook named '{name}' exists; remove it first");
            }
        }

        var webhook = new WebhookRow(name, uri, format, secret, events);
        await audit.AppendAsync(connection, transaction, "webhook.add", tokenId, $"webhook {name}", $"{format} to {webhook.Origin}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (webhook, now);
    }

    /// <summary>Removes a webhook and its deliveries; false when there is none of that name.</summary>
    public async Task<bool> RemoveAsync(string name, string tokenId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var delete = new NpgsqlCommand("delete from webhooks where name = $1", connection, transaction);
        delete.Parameters.AddWithValue(name);
        if (await delete.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        await audit.AppendAsync(connection, transaction, "webhook.remove", tokenId, $"webhook {name}", "", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<WebhookRow?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select name, url, format, secret, events from webhooks where name = $1");
        command.Parameters.AddWithValue(name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRow(reader, 0) : null;
    }

    /// <summary>Every webhook with its delivery counts and last error, by name.</summary>
    public async Task<List<Webhook>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select w.name, w.url, w.format, w.secret, w.events, w.created_at, w.created_by,
                   count(d.id) filter (where d.delivered_at is not null),
                   count(d.id) filter (where d.delivered_at is null and d.failed_at is null and d.attempts > 0),
                   count(d.id) filter (where d.failed_at is not null),
                   (select e.last_error from webhook_deliveries e where e.webhook = w.name and e.last_error_at is not null order by e.last_error_at desc limit 1),
                   max(d.last_error_at)
            from webhooks w left join webhook_deliveries d on d.webhook = w.name
            group by w.name order by w.name
            """);
        var result = new List<Webhook>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = ReadRow(reader, 0);
            var webhook = new Webhook
            {
                Name = row.Name, UrlOrigin = row.Origin, Format = Format(row.Format),
                CreatedAt = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(5)), CreatedBy = reader.GetString(6),
                Delivered = reader.GetInt64(7), Retrying = reader.GetInt64(8), Failed = reader.GetInt64(9),
                LastError = reader.IsDBNull(10) ? "" : reader.GetString(10),
                LastErrorAt = reader.IsDBNull(11) ? null : Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(11)),
            };
            webhook.Events.AddRange(row.Events);
            result.Add(webhook);
        }

        return result;
    }

    /// <summary>For fleetctl status: webhooks with deliveries retrying, or given up within <see cref="FailedShownFor"/>.</summary>
    public async Task<List<WebhookProblem>> ProblemsAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - FailedShownFor;
        return [.. (await ListAsync(cancellationToken))
            .Where(w => w.Retrying > 0 || (w.Failed > 0 && w.LastErrorAt?.ToDateTimeOffset() > since))
            .Select(w => new WebhookProblem { Name = w.Name, Retrying = w.Retrying, Failed = w.Failed, LastError = w.LastError, LastErrorAt = w.LastErrorAt })];
    }

    /// <summary>Queues a delivery of each notification to every webhook that subscribed to its kind.</summary>
    public static async Task QueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Notification> notifications, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            """
            insert into webhook_deliveries (webhook, notification_id, next_attempt_at)
            select w.name, n.id, $3 from webhooks w cross join unnest($1::bigint[], $2::text[]) as n (id, kind)
            where cardinality(w.events) = 0 or n.kind = any (w.events)
            on conflict (webhook, notification_id) do nothing
            """, connection, transaction);
        insert.Parameters.AddWithValue(notifications.Select(n => n.Id).ToArray());
        insert.Parameters.AddWithValue(notifications.Select(n => n.Kind).ToArray());
        insert.Parameters.AddWithValue(now);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public static WebhookRow ReadRow(NpgsqlDataReader reader, int first) =>
        new(reader.GetString(first), new Uri(reader.GetString(first + 1)), reader.GetString(first + 2), reader.GetString(first + 3),
            reader.GetFieldValue<string[]>(first + 4));

    public static WebhookFormat Format(string format) => format == "slack" ? WebhookFormat.Slack : WebhookFormat.Json;
}
