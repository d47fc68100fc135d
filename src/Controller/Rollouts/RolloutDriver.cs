using Fleet.Controller.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>
/// Drives every rollout that is not finished, or still has hosts in flight (reverting, or converging
/// to a release that succeeded): steps its state machine (<see cref="RolloutMachine"/>)
/// under a per-rollout advisory lock (so replicas never drive one rollout twice), then sends the
/// assignments of the states it just committed (<see cref="AssignmentSender"/>).
/// Wakes on every change (here or, through <see cref="RolloutChangeFeed"/>, on another replica),
/// when a host's progress deadline passes, and otherwise every 30 s (a safety poll): between
/// those, nothing can change, and a step re-reads every target of every running rollout.
/// </summary>
internal sealed partial class RolloutDriver(
    NpgsqlDataSource dataSource, AssignmentSender sender, RolloutChanges changes, IOptions<ControllerOptions> options, TimeProvider time,
    ILogger<RolloutDriver> logger) : BackgroundService
{
    // The longest the driver sleeps: what it would miss otherwise is a notification lost on the way.
    private static readonly TimeSpan SafetyPoll = TimeSpan.FromSeconds(30);

    // After a failed step, or while another replica holds a rollout's lock.
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    // The in-flight states are written out so that the planner uses the partial index on them.
    private static readonly string DrivenSql =
        "select id from rollouts where state = any($1) union " +
        $"select distinct rollout_id from rollout_targets where state in {RolloutNames.SqlList(RolloutMachine.InFlight)}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = changes.NextDecision;
            var due = time.GetUtcNow() + Retry;
            try
            {
                due = await StepAllAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.StepFailed(logger, ex);
            }

            var wait = due - time.GetUtcNow();
            try
            {
                await Task.WhenAny(next, Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Steps every unfinished rollout; returns when the clock alone would next change one, at the latest the safety poll.</summary>
    private async Task<DateTimeOffset> StepAllAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using (var command = dataSource.CreateCommand(DrivenSql))
        {
            command.Parameters.AddWithValue(RolloutNames.Names(RolloutMachine.Active));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetString(0));
            }
        }

        var due = time.GetUtcNow() + SafetyPoll;
        foreach (var id in ids)
        {
            if (await StepAsync(id, cancellationToken) is { } rolloutDue && rolloutDue < due)
            {
                due = rolloutDue;
            }
        }

        return due;
    }

    /// <summary>Steps one rollout; returns when its next progress deadline passes (null: no host is in flight).</summary>
    private async Task<DateTimeOffset?> StepAsync(string rolloutId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand("select pg_try_advisory_xact_lock(hashtextextended('rollout:' || $1, 0))", connection, transaction))
        {
            tryLock.Parameters.AddWithValue(rolloutId);
            if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true)
            {
                // Another replica is stepping it: look again soon, for the agents connected here.
                return time.GetUtcNow() + Retry;
            }
        }

        var now = time.GetUtcNow();
        var loaded = await DriverQueries.LoadAsync(connection, transaction, rolloutId, options.Value.MaxRolloutWait, now, cancellationToken);
        if (loaded is null)
        {
            return null;
        }

        var (snapshot, work) = loaded.Value;
        var result = RolloutMachine.Step(snapshot, now);
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
            snapshot = RolloutMachine.After(snapshot, result, now);
        }

        sender.Send(snapshot.Id, RolloutMachine.SendsApply(snapshot.State), snapshot.Targets, work);
        return RolloutMachine.NextDeadline(snapshot);
    }

    private static partial class Log
    {
        [LoggerMessage(3110, LogLevel.Information, "Rollout {RolloutId} is now {State} {Reason}")]
        public static partial void StateChanged(ILogger logger, string rolloutId, string state, string reason);

        [LoggerMessage(3112, LogLevel.Warning, "Rollout step failed; retrying")]
        public static partial void StepFailed(ILogger logger, Exception exception);
    }
}

