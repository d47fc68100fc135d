using Fleet.Contracts.V1;
using Fleet.Controller.Telemetry;

namespace Fleet.Controller.Agents;

/// <summary>
/// Flushes heartbeats every <see cref="FlushInterval"/> or as soon as <see cref="MaxBatch"/>
/// agents are pending, whichever comes first. A crash loses at most one interval of last-seen
/// timestamps; enrollments and revocations never go through here.
/// </summary>
internal sealed partial class HeartbeatWriter(IHeartbeatStore store, TimeProvider time, ControllerMetrics metrics, ILogger<HeartbeatWriter> logger)
    : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);
    public const int MaxBatch = 1000;

    private readonly HeartbeatBatch _batch = new();
    private readonly SemaphoreSlim _full = new(0, 1);

    public void Enqueue(Guid agentId, DateTimeOffset seenAt, StatusSnapshot? status)
    {
        metrics.HeartbeatReceived();
        Add(agentId, new PendingHeartbeat(seenAt, status));
    }

    /// <summary>The agent's stream ended at <paramref name="at"/>: from then on no replica counts it as connected.</summary>
    public void EnqueueDisconnected(Guid agentId, DateTimeOffset at) => Add(agentId, new PendingHeartbeat(at, null, Disconnected: true));

    private void Add(Guid agentId, PendingHeartbeat heartbeat)
    {
        if (_batch.Add(agentId, heartbeat) >= MaxBatch && _full.CurrentCount == 0)
        {
            try
            {
                _full.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another heartbeat already asked for the flush.
            }
        }
    }

    /// <summary>Writes what is pending; a failed write is kept for the next attempt. Returns rows written.</summary>
    internal async Task<int> FlushOnceAsync(CancellationToken cancellationToken)
    {
        var batch = _batch.Take();
        if (batch.Count == 0)
        {
            return 0;
        }

        try
        {
            await store.WriteAsync(batch, cancellationToken);
            return batch.Count;
        }
        catch (Exception ex)
        {
            _batch.Restore(batch);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            Log.WriteFailed(logger, batch.Count, ex);
            return 0;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                var tick = Task.Delay(FlushInterval, time, wait.Token);
                var full = _full.WaitAsync(wait.Token);
                await Task.WhenAny(tick, full);
                await wait.CancelAsync();
                await Task.WhenAll(tick, full).ContinueWith(static _ => { }, TaskScheduler.Default);
            }

            if (!stoppingToken.IsCancellationRequested)
            {
                await FlushOnceAsync(stoppingToken);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // The streams are closed by now; whatever they sent last still gets written.
        await FlushOnceAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _full.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1200, LogLevel.Warning, "Writing {Count} heartbeats failed; retrying with the next batch")]
        public static partial void WriteFailed(ILogger logger, int count, Exception exception);
    }
}
