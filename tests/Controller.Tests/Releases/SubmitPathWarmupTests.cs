using Fleet.Controller.Releases;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Releases;

public sealed class SubmitPathWarmupTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // A sample the intake refused would stop the warm-up at the refusal, before most of the path.
    [Fact]
    public void Run_SampleRelease_PassesTheIntakeAndIsPlannedHookHostFirst()
    {
        var (release, plan) = SubmitPathWarmup.Run(Now);

        Assert.True(release.ThresholdMet);
        Assert.Equal("warmup", release.Manifest.Environment);
        Assert.Equal(Now.AddMinutes(5), release.Manifest.ExpiresAt);
        Assert.Equal([0, 1], plan.Select(t => t.Wave));
    }

    [Fact]
    public async Task StartAsync_RunsThePathOnceAndSaysSoWithoutWarning()
    {
        var ct = TestContext.Current.CancellationToken;
        var logger = new FakeLogger<SubmitPathWarmup>();
        using var warmup = new SubmitPathWarmup(new FakeTimeProvider(Now), logger);

        await warmup.StartAsync(ct);
        await warmup.ExecuteTask!.WaitAsync(ct);

        var record = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Debug, record.Level);
        Assert.Equal(3150, record.Id.Id);
    }
}
