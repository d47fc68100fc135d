using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Google.Protobuf;
using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>
/// Drives every rollout that is not finished: steps its state machine (<see cref="RolloutStepper"/>)
/// under a per-rollout advisory lock (so replicas never drive one rollout twice), then sends
/// ReleaseAssignments on the streams of connected agents: APPLY to hosts that should apply and have
/// not (per Hello.applied and events), REVERT to hosts being returned to their previous release.
/// Wakes on every change in this process and at least once a second.
/// </summary>
internal sealed partial class RolloutDriver(
    NpgsqlDataSource dataSource, AgentRegistry registry, RolloutChanges changes, TimeProvider time, ILogger<RolloutDriver> logger) : BackgroundService
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

        Dispatch(snapshot, work);
    }

    private void Dispatch(RolloutSnapshot snapshot, DispatchInfo work)
    {
        var active = RolloutNames.IsActive(snapshot.State);
        foreach (var target in snapshot.Targets)
        {
            var action = target.State switch
            {
                TargetState.Applying when active && work.Applied.GetValueOrDefault(target.AgentId) < work.Sequence => AssignmentAction.Apply,
                TargetState.Reverting => AssignmentAction.Revert,
                _ => AssignmentAction.Unspecified,
            };
            if (action == AssignmentAction.Unspecified || registry.Find(target.AgentId) is not { } connection)
            {
                continue;
            }

            var assignment = new ReleaseAssignment
            {
                RolloutId = snapshot.Id,
                App = work.App,
                Environment = work.Environment,
                Sequence = work.Sequence,
                Envelope = work.Envelope,
                Action = action,
                RevertToSequence = action == AssignmentAction.Revert ? work.Previous.GetValueOrDefault(target.AgentId) : 0,
                MinHealthySeconds = work.MinHealthySeconds,
                // The planner put the hook host alone in wave 0.
                RunOnceHooks = action == AssignmentAction.Apply && work.OnceHooks && target.Wave == 0,
            };
            if (connection.SendOnce($"{snapshot.Id}:{action}", assignment))
            {
                Log.Sent(logger, action.ToString(), snapshot.Id, target.Name);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3110, LogLevel.Information, "Rollout {RolloutId} is now {State} {Reason}")]
        public static partial void StateChanged(ILogger logger, string rolloutId, string state, string reason);

        [LoggerMessage(3111, LogLevel.Debug, "Sent {Action} of rollout {RolloutId} to {Agent}")]
        public static partial void Sent(ILogger logger, string action, string rolloutId, string agent);

        [LoggerMessage(3112, LogLevel.Warning, "Rollout step failed; retrying")]
        public static partial void StepFailed(ILogger logger, Exception exception);
    }
}

/// <summary>What the driver needs to send assignments for one rollout.</summary>
internal sealed record DispatchInfo(
    string App, string Environment, long Sequence, ByteString Envelope, int MinHealthySeconds, bool OnceHooks,
    IReadOnlyDictionary<Guid, long> Applied, IReadOnlyDictionary<Guid, long> Previous);
