using Fleet.Agent.Connection;
using Fleet.Agent.Events;
using Fleet.Agent.Health;
using Fleet.Agent.Secrets;
using Fleet.Agent.Telemetry;
using Fleet.Agent.Tests.Support;
using Fleet.Contracts.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;

namespace Fleet.Agent.Tests.Connection;

public sealed partial class ControllerStreamWorkerTests : IDisposable
{
    private readonly RecordingTimeProvider _time = new();
    private readonly FakeLogger<ControllerStreamWorker> _logger = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly AgentMetrics _metrics;
    private readonly MetricCollector<long> _heartbeats;
    private readonly MetricCollector<long> _reconnects;
    private readonly TempDir _dir = new();
    private readonly AgentEncryptionKey _encryptionKey = AgentEncryptionKey.Generate();
    private readonly EventOutbox _outbox;

    public ControllerStreamWorkerTests()
    {
        var meterFactory = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _metrics = new AgentMetrics(meterFactory);
        _outbox = new EventOutbox(_dir.Path);
        _heartbeats = new MetricCollector<long>(meterFactory, AgentMetrics.MeterName, "fleet.agent.heartbeats.sent");
        _reconnects = new MetricCollector<long>(meterFactory, AgentMetrics.MeterName, "fleet.agent.reconnects");
    }

    public void Dispose()
    {
        _heartbeats.Dispose();
        _reconnects.Dispose();
        _services.Dispose();
        _outbox.Dispose();
        _dir.Dispose();
        _encryptionKey.Dispose();
    }

    [Fact]
    public async Task ConnectOnceAsync_Connected_SendsHelloThenHeartbeatsAtTheControllersInterval()
    {
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = worker.ConnectOnceAsync(stop.Token);
        var hello = await stream.NextSentAsync();
        stream.Settings(7);
        var first = await stream.NextSentAsync();
        stream.Ack(1);
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(7), 1, TestContext.Current.CancellationToken);
        _time.Advance(TimeSpan.FromSeconds(7));
        var second = await stream.NextSentAsync();
        await stop.CancelAsync();

        Assert.Equal(AgentMessage.KindOneofCase.Hello, hello.KindCase);
        Assert.False(string.IsNullOrEmpty(hello.Hello.AgentVersion));
        Assert.Equal(1, first.Heartbeat.Sequence);
        Assert.Equal("test-host", first.Heartbeat.Status.Hostname);
        Assert.Equal(2, second.Heartbeat.Sequence);
        Assert.DoesNotContain(_time.DueTimes, d => d == ControllerStreamWorker.DefaultInterval);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(stream.Disposed);
        Assert.Equal(2, _heartbeats.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task ConnectOnceAsync_HeartbeatAcknowledged_LogsAckAndStaysConnected()
    {
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = worker.ConnectOnceAsync(stop.Token);
        await stream.NextSentAsync();
        stream.Settings(5);
        await stream.NextSentAsync();
        stream.Ack(1);
        await PollAsync(() => _logger.Collector.GetSnapshot().Any(r => r.Message == "Heartbeat 1 acknowledged"));

        Assert.True(_metrics.Connected);
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.False(_metrics.Connected);
    }

    [Fact]
    public async Task ConnectOnceAsync_ControllerUnreachable_ReturnsInitialBackoffAndCountsReconnect()
    {
        var stream = new FakeControllerStream();
        var client = new FakeControllerStreamClient()
            .ThenFail(new RpcException(new Status(StatusCode.Unavailable, "connection refused")))
            .Then(stream);
        using var worker = Worker(client);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var wait = await worker.ConnectOnceAsync(stop.Token);
        var second = worker.ConnectOnceAsync(stop.Token);
        await stream.NextSentAsync();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);

        Assert.InRange(wait, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        Assert.Equal(LogLevel.Warning, _logger.Collector.GetSnapshot().First(r => r.Level >= LogLevel.Warning).Level);
        Assert.Equal(2, client.Opens);
        Assert.Equal(1, _reconnects.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task ConnectOnceAsync_RepeatedFailures_BackoffGrows()
    {
        var error = new RpcException(new Status(StatusCode.Unavailable, "connection refused"));
        using var worker = Worker(new FakeControllerStreamClient().ThenFail(error).ThenFail(error).ThenFail(error));

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            waits.Add(await worker.ConnectOnceAsync(TestContext.Current.CancellationToken));
        }

        Assert.InRange(waits[2], TimeSpan.FromSeconds(2.56 * 0.8), TimeSpan.FromSeconds(2.56 * 1.2));
    }

    [Fact]
    public async Task ConnectOnceAsync_StreamBreaksAfterConnecting_ReturnsBackoffFromInitial()
    {
        var error = new RpcException(new Status(StatusCode.Unavailable, "connection refused"));
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().ThenFail(error).ThenFail(error).Then(stream));
        await worker.ConnectOnceAsync(TestContext.Current.CancellationToken);
        await worker.ConnectOnceAsync(TestContext.Current.CancellationToken);

        var run = worker.ConnectOnceAsync(TestContext.Current.CancellationToken);
        await stream.NextSentAsync();
        stream.Settings(10);
        await stream.NextSentAsync();
        stream.End(new RpcException(new Status(StatusCode.Unavailable, "controller shutting down")));
        var wait = await run;

        Assert.InRange(wait, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        Assert.Contains("controller shutting down", _logger.LatestRecord.Message, StringComparison.Ordinal);
        Assert.False(_metrics.Connected);
    }

    [Fact]
    public async Task ConnectOnceAsync_ControllerClosesStream_Reconnects()
    {
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream));

        var run = worker.ConnectOnceAsync(TestContext.Current.CancellationToken);
        await stream.NextSentAsync();
        stream.Settings(10);
        stream.End();
        var wait = await run;

        Assert.InRange(wait, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        Assert.Contains("closed the stream", _logger.LatestRecord.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectOnceAsync_AgentRevoked_LogsReasonAsErrorAndWaitsTheMaximum()
    {
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream));

        var run = worker.ConnectOnceAsync(TestContext.Current.CancellationToken);
        await stream.NextSentAsync();
        stream.End(new RpcException(new Status(StatusCode.PermissionDenied, "agent web-1 was revoked")));
        var wait = await run;

        Assert.InRange(wait, ControllerStreamWorker.MaxRetryDelay * 0.8, ControllerStreamWorker.MaxRetryDelay * 1.2);
        Assert.Equal(LogLevel.Error, _logger.LatestRecord.Level);
        Assert.Contains("agent web-1 was revoked", _logger.LatestRecord.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectOnceAsync_NoAcks_DropsTheConnectionAfterThreeIntervals()
    {
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream));

        var run = worker.ConnectOnceAsync(TestContext.Current.CancellationToken);
        await stream.NextSentAsync();
        stream.Settings(5);
        for (var beat = 1; beat <= ControllerStreamWorker.MaxUnacknowledged; beat++)
        {
            Assert.Equal(beat, (await stream.NextSentAsync()).Heartbeat.Sequence);
            await _time.WaitForTimerAsync(TimeSpan.FromSeconds(5), beat, TestContext.Current.CancellationToken);
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        var wait = await run;

        Assert.InRange(wait, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        Assert.Contains("acknowledged no heartbeat", _logger.LatestRecord.Message, StringComparison.Ordinal);
        Assert.True(stream.Disposed);
    }

    [Fact]
    public async Task ConnectOnceAsync_StoppingWhileGrpcReportsCancelled_EndsAsCancellationWithoutWarning()
    {
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = worker.ConnectOnceAsync(stop.Token);
        await stream.NextSentAsync();
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task ConnectOnceAsync_NoSettingsInTime_GivesUpWithTimeoutAndBacksOff()
    {
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream));

        var run = worker.ConnectOnceAsync(TestContext.Current.CancellationToken);
        await stream.NextSentAsync();
        await _time.WaitForTimerAsync(ControllerStreamWorker.SettingsTimeout, 1, TestContext.Current.CancellationToken);
        _time.Advance(ControllerStreamWorker.SettingsTimeout);
        var wait = await run;

        Assert.InRange(wait, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        Assert.Contains("no connection settings", _logger.LatestRecord.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectOnceAsync_SettingsIntervalZero_UsesDefaultInterval()
    {
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = worker.ConnectOnceAsync(stop.Token);
        await stream.NextSentAsync();
        stream.Settings(0);
        await stream.NextSentAsync();
        await _time.WaitForTimerAsync(ControllerStreamWorker.DefaultInterval, 1, TestContext.Current.CancellationToken);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    private ControllerStreamWorker Worker(FakeControllerStreamClient client, FakeReleaseAssignments? releases = null) =>
        new(client, new FixedStatus(), releases ?? new FakeReleaseAssignments(), _outbox, new AgentCommandDispatcher([new EchoBackupCommand()], NullLogger<AgentCommandDispatcher>.Instance), _metrics, _encryptionKey, _time, _logger, new Random(5));

    private static async Task PollAsync(Func<bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, deadline.Token);
        }
    }

    private sealed class FixedStatus : IStatusSource
    {
        public Task<StatusSnapshot> CollectAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new StatusSnapshot { Hostname = "test-host", CpuPercent = 12.5 });
    }
}
