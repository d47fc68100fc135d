using Fleet.Controller.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Hosting;

public sealed class NativeMemoryTrimmerTests
{
    [Fact]
    public void TryTrim_Glibc_ReturnsTrue()
    {
        Assert.True(NativeMemoryTrimmer.TryTrim());
    }

    [Fact]
    public async Task StartAsync_Glibc_TrimsOnEveryTickUntilStoppedWithoutComplaint()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider();
        var logger = new FakeLogger<NativeMemoryTrimmer>();
        using var trimmer = new NativeMemoryTrimmer(time, logger);

        await trimmer.StartAsync(ct);
        for (var tick = 0; tick < 3; tick++)
        {
            time.Advance(NativeMemoryTrimmer.Interval);
        }

        Assert.False(trimmer.ExecuteTask!.IsCompleted);
        await trimmer.StopAsync(ct);

        Assert.True(trimmer.ExecuteTask.IsCompleted);
        Assert.Empty(logger.Collector.GetSnapshot());
    }
}
