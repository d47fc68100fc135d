using Fleet.Agent.Connection;
using Fleet.Agent.Deploy;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;

namespace Fleet.Agent.Releases;

/// <summary>
/// Runs assignments one at a time per app (different apps may interleave; the swap engine still
/// swaps one service at a time per host), after the Reconciler has converged the journal and the
/// containers once at start. Assignments a previous run began but never finished (it was killed)
/// are handled again first.
/// </summary>
internal sealed partial class AssignmentQueue(
    AssignmentHandler handler,
    Reconciler reconciler,
    AppliedReleases applied,
    AssignmentResults results,
    AgentTarget target,
    ILogger<AssignmentQueue> logger) : BackgroundService, IReleaseAssignments
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _reconciled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();

    public IReadOnlyList<AppliedRelease> Applied() => applied.Serving(target.Environment);

    public void Post(ReleaseAssignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        lock (_lock)
        {
            var previous = _tails.GetValueOrDefault(assignment.App, _reconciled.Task);
            _tails[assignment.App] = RunAfterAsync(previous, assignment);
        }
    }

    /// <summary>Completes when every assignment posted so far has been handled.</summary>
    public Task IdleAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_tails.Values);
        }
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var registration = stoppingToken.Register(_stopping.Cancel);
        try
        {
            var services = await reconciler.ReconcileAsync(stoppingToken);
            Log.Reconciled(logger, services);
            foreach (var unfinished in results.Unfinished())
            {
                Log.Resuming(logger, unfinished.App, unfinished.Sequence, unfinished.Action);
                Post(unfinished);
            }

            _reconciled.TrySetResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Assignments still run: the swap engine refuses a service whose swap is unresolved.
            Log.ReconcileFailed(logger, ex);
            _reconciled.TrySetResult();
        }

        await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAfterAsync(Task previous, ReleaseAssignment assignment)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        try
        {
            await handler.HandleAsync(assignment, _stopping.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            Log.HandlerFailed(logger, assignment.App, assignment.Sequence, ex);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the controller re-sends the assignment after the next connect.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6010, LogLevel.Information, "Reconciled {Services} services from the deploy journal")]
        public static partial void Reconciled(ILogger logger, int services);

        [LoggerMessage(6011, LogLevel.Error, "Reconciling the deploy journal at start failed")]
        public static partial void ReconcileFailed(ILogger logger, Exception exception);

        [LoggerMessage(6013, LogLevel.Warning, "Handling assignment {App} #{Sequence} ({Action}) again: the previous run stopped before it finished")]
        public static partial void Resuming(ILogger logger, string app, long sequence, AssignmentAction action);

        [LoggerMessage(6012, LogLevel.Error, "Handling assignment {App} #{Sequence} failed")]
        public static partial void HandlerFailed(ILogger logger, string app, long sequence, Exception exception);
    }
}
