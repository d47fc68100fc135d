namespace Fleet.Controller.Rollouts;

/// <summary>
/// Wakes the rollout driver and WatchRollout streams when something changed in this process
/// (a submit, an agent event, an operator command). Waiters also re-read on a timeout, so a
/// change made by another controller replica is seen too.
/// </summary>
internal sealed class RolloutChanges
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task that completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
