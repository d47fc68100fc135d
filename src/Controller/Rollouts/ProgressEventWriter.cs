using System.Threading.Channels;
using Fleet.Contracts.V1;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Controller.Rollouts;

/// <summary>
/// Stores PROGRESS events in batches: when 10,000 hosts report their first step at once, one
/// statement stores up to <see cref="MaxBatch"/> of them (de-duplicated on agent and sequence) and
/// moves each target's step and deadline to its newest report, instead of one statement each. A
/// batch is written as soon as the previous one is done, so a lone event waits for nothing. A
/// caller's task completes only once its event is committed: the stream acknowledges it after that.
/// </summary>
internal sealed partial class ProgressEventWriter(NpgsqlDataSource dataSource, RolloutChanges changes, TimeProvider time, ILogger<ProgressEventWriter> logger)
    : BackgroundService
{
    public const int MaxBatch = 1000;

    private static readonly string[] MovableStates = RolloutNames.Names(RolloutMachine.Reporting);

    private readonly Channel<PendingProgress> _queue = Channel.CreateUnbounded<PendingProgress>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Completes when the event is stored (or was already); fails when its batch could not be written.</summary>
    public Task RecordAsync(Guid agentId, AgentEvent progress, CancellationToken cancellationToken)
    {
        var pending = new PendingProgress(agentId, progress, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(pending)
            ? pending.Stored.Task.WaitAsync(cancellationToken)
            : Task.FromException(new InvalidOperationException("the controller is shutting down"));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingProgress>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                await WriteAsync(batch, stoppingToken);
                batch.ForEach(p => p.Stored.TrySetResult());
                changes.NotifyProgress();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Each stream fails and its agent sends the event again after reconnecting.
                Log.BatchFailed(logger, batch.Count, ex);
                batch.ForEach(p => p.Stored.TrySetException(ex));
            }

            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteAsync(List<PendingProgress> batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A target shows its newest report; its deadline moves because it reported at all.
        await using var command = dataSource.CreateCommand(
            "with input as (select * from unnest($1::uuid[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[]) " +
            "as i (agent_id, sequence, at, rollout_id, step, detail, log_tail)), " +
            "inserted as (insert into agent_events (agent_id, sequence, received_at, at, rollout_id, kind, step, detail) " +
            "select agent_id, sequence, $8, at, rollout_id, $9, step, detail from input on conflict (agent_id, sequence) do nothing " +
            "returning agent_id, sequence, rollout_id), " +
            "latest as (select distinct on (i.agent_id, i.rollout_id) i.* from input i join inserted n using (agent_id, sequence) " +
            "order by i.agent_id, i.rollout_id, i.sequence desc) " +
            "update rollout_targets t set step = case when l.step = '' then t.step else l.step end, " +
            "detail = case when l.detail = '' then t.detail else l.detail end, log_tail = case when l.log_tail = '' then t.log_tail else l.log_tail end, " +
            "state_since = $8, updated_at = $8 from latest l where t.rollout_id = l.rollout_id and t.agent_id = l.agent_id and t.state = any($10)");
        command.Parameters.AddWithValue(batch.Select(p => p.AgentId).ToArray());
        command.Parameters.AddWithValue(batch.Select(p => p.Event.Sequence).ToArray());
        command.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.TimestampTz, batch.Select(p => p.Event.At?.ToDateTimeOffset() ?? now).ToArray());
        command.Parameters.AddWithValue(batch.Select(p => p.Event.RolloutId).ToArray());
        command.Parameters.AddWithValue(batch.Select(p => p.Event.Step).ToArray());
        command.Parameters.AddWithValue(batch.Select(p => p.Event.Detail).ToArray());
        command.Parameters.AddWithValue(batch.Select(p => p.Event.LogTail).ToArray());
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(AgentEventKind.Progress.ToString());
        command.Parameters.AddWithValue(MovableStates);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record PendingProgress(Guid AgentId, AgentEvent Event, TaskCompletionSource Stored);

    private static partial class Log
    {
        [LoggerMessage(3120, LogLevel.Warning, "Could not store a batch of {Count} progress events; their streams end and the agents send them again")]
        public static partial void BatchFailed(ILogger logger, int count, Exception exception);
    }
}
