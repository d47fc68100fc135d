using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>
/// Tells the controller replicas sharing one database about each other's rollout changes with
/// PostgreSQL LISTEN/NOTIFY: a change committed here (<see cref="RolloutChanges.NextBroadcast"/>)
/// is sent as a notification carrying this replica's id; a notification from another replica
/// wakes this one's driver, which then sends its own agents what the rollout now asks of them.
/// Notifications are sent after the commit and at most every <see cref="Spacing"/> (10,000
/// hosts reporting at once are one notification, not 10,000); one lost while the listening
/// connection was down is made up for by a wake-up once it is back.
/// </summary>
internal sealed partial class RolloutChangeFeed(NpgsqlDataSource dataSource, RolloutChanges changes, TimeProvider time, ILogger<RolloutChangeFeed> logger)
    : BackgroundService
{
    public const string Channel = "fleet_rollout_changes";

    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    // How often the listening connection is checked while nothing arrives.
    private static readonly TimeSpan Probe = TimeSpan.FromSeconds(30);

    /// <summary>What this replica's notifications carry, to tell them from the others'.</summary>
    public string ReplicaId { get; } = Guid.NewGuid().ToString("N");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), BroadcastAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) =>
                {
                    if (notification.Payload != ReplicaId)
                    {
                        changes.NotifyLocal();
                    }
                };
                await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Whatever was notified while this connection was not listening.
                changes.NotifyLocal();
                while (true)
                {
                    if (!await connection.WaitAsync(Probe, stoppingToken))
                    {
                        await using var probe = new NpgsqlCommand("select 1", connection);
                        await probe.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever broke the connection, the controller keeps running and listens again.
                Log.ListenFailed(logger, Retry.TotalSeconds, ex);
            }

            await Pause(Retry, stoppingToken);
        }
    }

    private async Task BroadcastAsync(CancellationToken stoppingToken)
    {
        var next = changes.NextBroadcast;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await next.WaitAsync(stoppingToken);
                next = changes.NextBroadcast;
                await using var notify = dataSource.CreateCommand("select pg_notify($1, $2)");
                notify.Parameters.AddWithValue(Channel);
                notify.Parameters.AddWithValue(ReplicaId);
                await notify.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The other replicas see the change at their next step; the next change is sent again.
                Log.BroadcastFailed(logger, ex);
            }

            await Pause(Spacing, stoppingToken);
        }
    }

    private async Task Pause(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loops end.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3140, LogLevel.Warning, "Not listening for other replicas' rollout changes; retrying in {Seconds} s")]
        public static partial void ListenFailed(ILogger logger, double seconds, Exception exception);

        [LoggerMessage(3141, LogLevel.Warning, "Could not tell the other replicas about a rollout change; they see it at their next step")]
        public static partial void BroadcastFailed(ILogger logger, Exception exception);
    }
}
