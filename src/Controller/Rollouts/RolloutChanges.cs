namespace Fleet.Controller.Rollouts;

/// <summary>
/// Wakes the rollout driver and WatchRollout streams when something changed, and tells the other
/// controller replicas (through <see cref="RolloutChangeFeed"/>) about changes committed here, so
/// that each sends its own agents what a rollout now asks of them.
/// </summary>
internal sealed class RolloutChanges(TimeProvider time)
{
    private TaskCompletionSource _next = NewSource();
    private TaskCompletionSource _nextDecision = NewSource();
    private TaskCompletionSource _nextBroadcast = NewSource();

    /// <summary>A task that completes at the next change of any kind.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>A task that completes at the next change the driver may have to act on.</summary>
    public Task NextDecision => Volatile.Read(ref _nextDecision).Task;

    /// <summary>A task that completes at the next change committed here that the other replicas must hear of.</summary>
    public Task NextBroadcast => Volatile.Read(ref _nextBroadcast).Task;

    /// <summary>A change committed here that the driver may act on (an event, a command, a step): wakes everyone, other replicas included.</summary>
    public void Notify()
    {
        NotifyLocal();
        Complete(ref _nextBroadcast);
    }

    /// <summary>
    /// A rollout started here, its first wave already sent from here: watchers and the other
    /// replicas (they send the wave to their own agents) hear of it now; this driver, which would
    /// re-read every target while the wave is being sent with nothing to decide, only once
    /// <paramref name="progressDeadline"/> has passed (a host that stays silent fails then).
    /// </summary>
    public void NotifyStarted(TimeSpan progressDeadline)
    {
        NotifyProgress();
        Complete(ref _nextBroadcast);
        _ = NotifyLocalAfterAsync(progressDeadline);
    }

    /// <summary>
    /// Something only this process acts on: an agent connected here, or a change another replica
    /// committed. Wakes this driver and the watchers; nothing is broadcast.
    /// </summary>
    public void NotifyLocal()
    {
        Complete(ref _nextDecision);
        NotifyProgress();
    }

    /// <summary>
    /// A change only watchers show (a progress report): it moves no rollout state, so the driver,
    /// which would re-read every target of the rollout, is not woken for it (10,000 hosts each
    /// acknowledging an assignment would keep it re-reading while it is still sending).
    /// </summary>
    public void NotifyProgress() => Complete(ref _next);

    private async Task NotifyLocalAfterAsync(TimeSpan delay)
    {
        await Task.Delay(delay, time);
        NotifyLocal();
    }

    private static void Complete(ref TaskCompletionSource source) => Interlocked.Exchange(ref source, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
