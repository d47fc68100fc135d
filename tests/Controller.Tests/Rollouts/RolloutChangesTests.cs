using Fleet.Controller.Rollouts;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Rollouts;

public sealed class RolloutChangesTests
{
    private static readonly TimeSpan ProgressDeadline = TimeSpan.FromSeconds(11);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RolloutChanges _changes;

    public RolloutChangesTests() => _changes = new RolloutChanges(_time);

    [Fact]
    public void Notify_ChangeCommittedHere_WakesDriverWatchersAndReplicas()
    {
        var (decision, progress, broadcast) = Pending();

        _changes.Notify();

        Assert.True(decision.IsCompleted && progress.IsCompleted && broadcast.IsCompleted);
        Assert.False(_changes.NextDecision.IsCompleted || _changes.Next.IsCompleted || _changes.NextBroadcast.IsCompleted);
    }

    [Fact]
    public async Task NotifyStarted_FirstWaveSentHere_WatchersAndReplicasNowThisDriverOnceTheDeadlinePassed()
    {
        var (decision, progress, broadcast) = Pending();

        _changes.NotifyStarted(ProgressDeadline);
        _time.Advance(ProgressDeadline - TimeSpan.FromTicks(1));

        Assert.False(decision.IsCompleted);
        Assert.True(progress.IsCompleted && broadcast.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));
        await decision.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void NotifyLocal_AgentConnectedOrReplicasChange_DriverAndWatchersNothingBroadcast()
    {
        var (decision, progress, broadcast) = Pending();

        _changes.NotifyLocal();

        Assert.True(decision.IsCompleted && progress.IsCompleted);
        Assert.False(broadcast.IsCompleted);
    }

    [Fact]
    public void NotifyProgress_ProgressReport_OnlyWatchers()
    {
        var (decision, progress, broadcast) = Pending();

        _changes.NotifyProgress();

        Assert.True(progress.IsCompleted);
        Assert.False(decision.IsCompleted || broadcast.IsCompleted);
    }

    private (Task Decision, Task Progress, Task Broadcast) Pending() => (_changes.NextDecision, _changes.Next, _changes.NextBroadcast);
}
