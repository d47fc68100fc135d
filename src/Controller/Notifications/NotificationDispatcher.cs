using Fleet.Controller.Hosting;
using Fleet.Controller.Telemetry;
using Fleet.Controller.Webhooks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fleet.Controller.Notifications;

/// <summary>
/// Every replica runs this loop: it writes the swept notifications (agents down, certificates
/// expiring), then claims notifications not yet dispatched (row locks, skipped by the other
/// replicas), queues their webhook deliveries and marks them dispatched in one transaction, and
/// records each rollout outcome's duration once fleet-wide.
/// </summary>
internal sealed partial class NotificationDispatcher(
    NpgsqlDataSource dataSource, ControllerMetrics metrics, IOptions<ControllerOptions> options, TimeProvider time,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(5);

    private const int Batch = 100;

    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // A full batch means more may be waiting: go again at once.
            if (await RunOnceAsync(stoppingToken) < Batch)
            {
                await Task.Delay(Period, time, stoppingToken);
            }
        }
    }

    /// <summary>One sweep (when due) and one batch; returns how many notifications were dispatched.</summary>
    internal async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var now = time.GetUtcNow();
            if (now - _lastSweep >= SweepPeriod)
            {
                await NotificationSweep.RunAsync(connection, now, options.Value.DownAfter, cancellationToken);
                _lastSweep = now;
            }

            return await DispatchAsync(connection, now, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            Log.DispatchFailed(logger, ex);
            return 0;
        }
    }

    private async Task<int> DispatchAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var pending = await NotificationStore.ClaimPendingAsync(connection, transaction, Batch, cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }

        await WebhookStore.QueueAsync(connection, transaction, pending, now, cancellationToken);
        await NotificationStore.MarkDispatchedAsync(connection, transaction, pending, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var notification in pending)
        {
            Log.Dispatched(logger, notification.Kind, notification.Summary);
            if (notification is { Status.Length: > 0, DurationSeconds: { } seconds })
            {
                metrics.RolloutFinished(notification.App, notification.Environment, notification.Status, seconds);
            }
        }

        return pending.Count;
    }

    private static partial class Log
    {
        [LoggerMessage(3510, LogLevel.Information, "Notification {Kind}: {Summary}")]
        public static partial void Dispatched(ILogger logger, string kind, string summary);

        [LoggerMessage(3511, LogLevel.Warning, "Dispatching notifications failed; retrying")]
        public static partial void DispatchFailed(ILogger logger, Exception exception);
    }
}
