using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>
/// Drives every rollout that is not finished: steps its state machine (<see cref="RolloutStepper"/>)
/// under a per-rollout advisory lock (so replicas never drive one rollout twice), then sends the
/// assignments of the states it just committed (<see cref="AssignmentSender"/>).
/// Wakes on every change in this process and at least once a second.
/// </summary>
internal sealed partial class RolloutDriver(
    NpgsqlDataSource dataSource, AssignmentSender sender, RolloutChanges changes, TimeProvider time, ILogger<RolloutDriver> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = changes.NextDecision;
            try
            {
                await StepAllAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.StepFailed(logger, ex);
            }

            try
            {
                await Task.WhenAny(next, Task.Delay(Tick, time, stoppingToken));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task StepAllAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using (var command = dataSource.CreateCommand(
            "select id from rollouts r where state in ('running', 'paused', 'awaiting_promotion') " +
            "or exists (select 1 from rollout_targets t where t.rollout_id = r.id and t.state = 'reverting')"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }
        }

        foreach (var id in ids)
        {
            await StepAsync(id, cancellationToken);
        }
    }

    private async Task StepAsync(string rolloutId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand("select pg_try_advisory_xact_lock(hashtextextended('rollout:' || $1, 0))", connection, transaction))
        {
            tryLock.Parameters.AddWithValue(rolloutId);
            if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return;
            }
        }

        var loaded = await DriverQueries.LoadAsync(connection, transaction, rolloutId, cancellationToken);
        if (loaded is null)
        {
            return;
        }

        var (snapshot, work) = loaded.Value;
        var now = time.GetUtcNow();
        var result = RolloutStepper.Step(snapshot, now);
        if (!result.IsEmpty)
        {
            await DriverQueries.ApplyAsync(connection, transaction, rolloutId, result, now, cancellationToken);
            if (result.NewState is { } state)
            {
                Log.StateChanged(logger, rolloutId, RolloutNames.Name(state), result.Reason);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (!result.IsEmpty)
        {
            changes.Notify();
            // Send with the states just committed.
            snapshot = RolloutStepper.After(snapshot, result, now);
        }

        sender.Send(snapshot.Id, RolloutNames.IsActive(snapshot.State), snapshot.Targets, work);
    }

    private static partial class Log
    {
        [LoggerMessage(3110, LogLevel.Information, "Rollout {RolloutId} is now {State} {Reason}")]
        public static partial void StateChanged(ILogger logger, string rolloutId, string state, string reason);

        [LoggerMessage(3112, LogLevel.Warning, "Rollout step failed; retrying")]
        public static partial void StepFailed(ILogger logger, Exception exception);
    }
}

