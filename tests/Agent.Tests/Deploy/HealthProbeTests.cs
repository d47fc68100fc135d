using Fleet.Agent.Deploy;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests.Deploy;

public sealed class HealthProbeTests
{
    private static readonly HealthCheckSpec Spec = new(
        HealthCheckKind.Http, Interval: TimeSpan.FromSeconds(5), Timeout: TimeSpan.FromSeconds(2), Retries: 3,
        StartPeriod: TimeSpan.FromSeconds(30));

    [Fact]
    public void Record_FailuresInsideStartPeriod_DoNotCount()
    {
        var start = DateTimeOffset.UnixEpoch;
        var tracker = new HealthTracker(Spec, start);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HealthState.Starting, tracker.Record(false, start.AddSeconds(i * 2)));
        }

        Assert.Equal(0, tracker.CountedFailures);
    }

    [Fact]
    public void Record_RetriesConsecutiveFailuresAfterStartPeriod_Unhealthy()
    {
        var after = DateTimeOffset.UnixEpoch.AddSeconds(30);
        var tracker = new HealthTracker(Spec, DateTimeOffset.UnixEpoch);

        Assert.Equal(HealthState.Starting, tracker.Record(false, after));
        Assert.Equal(HealthState.Starting, tracker.Record(false, after.AddSeconds(5)));
        Assert.Equal(HealthState.Unhealthy, tracker.Record(false, after.AddSeconds(10)));
    }

    [Fact]
    public void Record_SuccessBetweenFailures_ResetsCount()
    {
        var after = DateTimeOffset.UnixEpoch.AddSeconds(40);
        var tracker = new HealthTracker(Spec, DateTimeOffset.UnixEpoch);
        tracker.Record(false, after);
        tracker.Record(false, after);

        Assert.Equal(HealthState.Healthy, tracker.Record(true, after));
        Assert.Equal(HealthState.Starting, tracker.Record(false, after));
        Assert.Equal(1, tracker.CountedFailures);
    }

    [Fact]
    public async Task WaitHealthyAsync_ProbeHangs_EachAttemptTimesOutThenUnhealthy()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var noStartPeriod = Spec with { StartPeriod = TimeSpan.Zero };
        var wait = new HealthProbe(time).WaitHealthyAsync(
            noStartPeriod,
            async ct =>
            {
                attempts++;
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                return ProbeResult.Pass("never");
            },
            TestContext.Current.CancellationToken);

        var result = await AdvanceUntilDoneAsync(time, wait);

        Assert.False(result.Healthy);
        Assert.Equal(3, attempts);
        Assert.Equal("unhealthy after 3 failed checks: check timed out after 2 s", result.Detail);
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(0, false)]
    public async Task WaitHealthyAsync_FailingFor40Seconds_HealthyOnlyWithStartPeriod(int startPeriodSeconds, bool healthy)
    {
        var time = new FakeTimeProvider();
        var readyAt = time.GetUtcNow().AddSeconds(40);
        var spec = Spec with { StartPeriod = TimeSpan.FromSeconds(startPeriodSeconds) };

        var wait = new HealthProbe(time).WaitHealthyAsync(
            spec,
            _ => Task.FromResult(time.GetUtcNow() >= readyAt ? ProbeResult.Pass("200") : ProbeResult.Fail("connection refused")),
            TestContext.Current.CancellationToken);
        var result = await AdvanceUntilDoneAsync(time, wait);

        Assert.Equal(healthy, result.Healthy);
    }

    [Fact]
    public async Task WaitHealthyAsync_FatalResult_StopsAtOnce()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;

        var result = await new HealthProbe(time).WaitHealthyAsync(
            Spec,
            _ => Task.FromResult(++attempts == 1 ? new ProbeResult(false, "container exited with code 3", Fatal: true) : ProbeResult.Pass("")),
            TestContext.Current.CancellationToken);

        Assert.Equal(1, attempts);
        Assert.Equal("container exited with code 3", result.Detail);
    }

    // Moves the fake clock one second per step until the probe loop finishes. The short real pause
    // lets the loop's continuations reach their next timer; it is a poll, the clock itself is fake.
    private static async Task<ProbeResult> AdvanceUntilDoneAsync(FakeTimeProvider time, Task<ProbeResult> wait)
    {
        for (var step = 0; step < 300 && !wait.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(2), TestContext.Current.CancellationToken);
        }

        Assert.True(wait.IsCompleted, "the probe loop did not finish within 300 fake seconds");
        return await wait;
    }
}
