using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Agents;

public sealed class HeartbeatWriterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingStore _store = new();
    private readonly AgentRegistry _registry = new();

    [Fact]
    public async Task FlushOnceAsync_ManyHeartbeatsOfFewAgents_OneStatementWithNewestPerAgent()
    {
        using var writer = NewWriter();
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        writer.Enqueue(a, At(1), Status("old"));
        writer.Enqueue(b, At(2), null);
        writer.Enqueue(a, At(3), Status("new"));

        var written = await writer.FlushOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, written);
        var batch = Assert.Single(_store.Batches);
        Assert.Equal(At(3), batch[a].SeenAt);
        Assert.Equal("new", batch[a].Status!.Hostname);
        Assert.Equal(At(2), batch[b].SeenAt);
    }

    [Fact]
    public async Task FlushOnceAsync_NothingPending_WritesNothing()
    {
        using var writer = NewWriter();

        Assert.Equal(0, await writer.FlushOnceAsync(TestContext.Current.CancellationToken));
        Assert.Empty(_store.Batches);
    }

    [Fact]
    public async Task FlushOnceAsync_StoreFails_KeepsBatchForNextFlushAndLogsWarning()
    {
        var logger = new FakeLogger<HeartbeatWriter>();
        using var writer = NewWriter(logger);
        var a = Guid.NewGuid();
        writer.Enqueue(a, At(1), null);
        _store.FailNext = true;

        Assert.Equal(0, await writer.FlushOnceAsync(TestContext.Current.CancellationToken));
        writer.Enqueue(Guid.NewGuid(), At(2), null);
        Assert.Equal(2, await writer.FlushOnceAsync(TestContext.Current.CancellationToken));

        Assert.Equal(At(1), _store.Batches.Single()[a].SeenAt);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, logger.LatestRecord.Level);
    }

    [Fact]
    public void Enqueue_EachHeartbeat_CountedInMetric()
    {
        var factory = TestMetrics.Factory();
        using var collector = new MetricCollector<long>(factory, "Fleet.Controller", "fleet.heartbeats.received");
        using var writer = new HeartbeatWriter(_store, _time, TestMetrics.Create(_registry, factory), new FakeLogger<HeartbeatWriter>());

        writer.Enqueue(Guid.NewGuid(), At(1), null);
        writer.Enqueue(Guid.NewGuid(), At(1), null);

        Assert.Equal(2, collector.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public void Restore_NewerHeartbeatArrivedMeanwhile_KeepsNewer()
    {
        var batch = new HeartbeatBatch();
        var a = Guid.NewGuid();
        batch.Add(a, new PendingHeartbeat(At(1), null));
        var failed = batch.Take();
        batch.Add(a, new PendingHeartbeat(At(5), null));

        batch.Restore(failed);

        Assert.Equal(At(5), batch.Take()[a].SeenAt);
    }

    private HeartbeatWriter NewWriter(FakeLogger<HeartbeatWriter>? logger = null) =>
        new(_store, _time, TestMetrics.Create(_registry), logger ?? new FakeLogger<HeartbeatWriter>());

    private DateTimeOffset At(int seconds) => _time.GetUtcNow().AddSeconds(seconds);

    private static StatusSnapshot Status(string hostname) => new() { Hostname = hostname };

    private sealed class RecordingStore : IHeartbeatStore
    {
        public List<Dictionary<Guid, PendingHeartbeat>> Batches { get; } = [];

        public bool FailNext { get; set; }

        public Task WriteAsync(IReadOnlyDictionary<Guid, PendingHeartbeat> batch, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("database unavailable");
            }

            Batches.Add(new Dictionary<Guid, PendingHeartbeat>(batch));
            return Task.CompletedTask;
        }
    }
}
