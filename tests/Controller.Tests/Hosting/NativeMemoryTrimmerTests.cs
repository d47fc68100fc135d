using Fleet.Controller.Agents;
using Fleet.Controller.Hosting;
using Fleet.Controller.Rollouts;
using Fleet.Controller.Tests.Rollouts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Hosting;

// One test holds garbage collection off, which is one per process.
[Collection(CollectionHoldTests.Group)]
public sealed class NativeMemoryTrimmerTests
{
    private const int Trimmed = 1031;
    private const int Skipped = 1032;

    // The hold's window has a clock of its own: advancing the trimmer's never ends a hold.
    private readonly FakeTimeProvider _holdTime = new();
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<NativeMemoryTrimmer> _logger = new();
    private readonly CollectionHold _hold;

    public NativeMemoryTrimmerTests() => _hold = new CollectionHold(new AgentRegistry(), _holdTime, NullLogger<CollectionHold>.Instance);

    [Fact]
    public void TryTrim_Glibc_ReturnsTrue()
    {
        Assert.True(NativeMemoryTrimmer.TryTrim());
    }

    [Fact]
    public async Task StartAsync_Glibc_TrimsOnEveryTickUntilStopped()
    {
        var ct = TestContext.Current.CancellationToken;
        using var trimmer = new NativeMemoryTrimmer(_hold, _time, _logger);

        await trimmer.StartAsync(ct);
        await TickUntilAsync(() => _logger.Collector.Count >= 3);

        Assert.False(trimmer.ExecuteTask!.IsCompleted);
        await trimmer.StopAsync(ct);

        Assert.True(trimmer.ExecuteTask.IsCompleted);
        Assert.All(_logger.Collector.GetSnapshot(), r => Assert.Equal(Trimmed, r.Id.Id));
    }

    [Fact]
    public async Task Tick_WhileAWaveHoldsCollectionsOff_NoTrimUntilTheHoldEnds()
    {
        var ct = TestContext.Current.CancellationToken;
        using var trimmer = new NativeMemoryTrimmer(_hold, _time, _logger);
        await trimmer.StartAsync(ct);

        _hold.Begin();
        await TickUntilAsync(() => _logger.Collector.Count >= 2);
        Assert.All(_logger.Collector.GetSnapshot(), r => Assert.Equal(Skipped, r.Id.Id));
        _holdTime.Advance(CollectionHold.Window);
        for (var waited = 0; _hold.IsHolding && waited < 500; waited++)
        {
            await Task.Delay(10, ct);
        }

        var held = _logger.Collector.Count;
        await TickUntilAsync(() => _logger.Collector.Count > held);
        await trimmer.StopAsync(ct);

        Assert.Equal(Trimmed, _logger.Collector.GetSnapshot()[held].Id.Id);
    }

    // The trimmer's timer starts on a thread of its own and a tick's work runs in the timer's
    // continuation: advance its clock a tick at a time until CONDITION holds (at most 5 s).
    private async Task TickUntilAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition() && waited < 250; waited++)
        {
            _time.Advance(NativeMemoryTrimmer.Interval);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(condition(), $"not reached in 5 s; log records: {_logger.Collector.Count}");
    }
}
