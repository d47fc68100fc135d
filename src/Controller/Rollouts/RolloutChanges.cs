namespace Fleet.Controller.Rollouts;

/// <summary>
/// Wakes the rollout driver and WatchRollout streams when something changed in this process
/// (a submit, an agent event, an operator command). Waiters also re-read on a timeout, so a
/// change made by another controller replica is seen too.
/// </summary>
internal sealed class RolloutChanges
{
    private TaskCompletionSource _next = NewSource();
    private TaskCompletionSource _nextDecision = NewSource();

    /// <summary>A task that completes at the next <see cref="Notify"/> or <see cref="NotifyProgress"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>A task that completes at the next <see cref="Notify"/>: a change the driver may have to act on.</summary>
    public Task NextDecision => Volatile.Read(ref _nextDecision).Task;

    public void Notify()
    {
        Interlocked.Exchange(ref _nextDecision, NewSource()).TrySetResult();
        NotifyProgress();
    }

    /// <summary>
    /// A change only watchers show (a progress report): it moves no rollout state, so the driver,
    /// which would re-read every target of the rollout, is not woken for it (10,000 hosts each
    /// acknowledging an assignment would keep it re-reading while it is still sending).
    /// </summary>
    public void NotifyProgress() =>
        Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
