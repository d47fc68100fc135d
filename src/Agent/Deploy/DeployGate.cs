namespace Fleet.Agent.Deploy;

/// <summary>One deploy operation at a time on this host: swaps, rollbacks and reconciliation share the journal and slot ports.</summary>
internal sealed class DeployGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            _semaphore.Release();
        }
    }

    public void Dispose() => _semaphore.Dispose();
}
