using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests.Support;

/// <summary>A fake clock that also records each timer's due time, so a test knows a wait has begun.</summary>
internal sealed class RecordingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    public RecordingTimeProvider()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public ConcurrentQueue<TimeSpan> DueTimes { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Recorded only once the timer exists, so a test that then advances the clock fires it.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        DueTimes.Enqueue(dueTime);
        return timer;
    }

    /// <summary>Polls (real clock, 10 s deadline) until <paramref name="count"/> timers with this due time exist.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime, int count, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        while (DueTimes.Count(d => d == dueTime) < count)
        {
            await Task.Delay(5, deadline.Token);
        }
    }
}
