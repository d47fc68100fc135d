using System.Runtime;
using Fleet.Controller.Agents;

namespace Fleet.Controller.Rollouts;

/// <summary>
/// Holds off garbage collection while a large wave of assignments goes out (from a submit or
/// approval that starts a rollout, or a driver step that queues at least <see cref="LargeWave"/>).
/// With 10,000 agents connected the controller keeps ~600 MB alive, and each ephemeral collection
/// then paused it for 50-200 ms, one or two of them inside every fan-out. The work is not saved,
/// only moved out of the wave: the hold ends after <see cref="Window"/>, or earlier by a collection
/// as soon as <see cref="Budget"/> bytes were allocated. Starting it never collects
/// (<c>disallowFullBlockingGC</c>); one hold at a time per process.
/// </summary>
internal sealed partial class CollectionHold(AgentRegistry registry, TimeProvider time, ILogger<CollectionHold> logger)
{
    public const int LargeWave = 1000;

    // A wave of 10,000 allocates about 30 MB in the controller, the submit before it about 10 MB.
    public const long Budget = 128L * 1024 * 1024;

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private int _holding;

    /// <summary>True from a <see cref="Begin"/> that held collections off until its window ends (a spent budget may have let one run before).</summary>
    public bool IsHolding => Volatile.Read(ref _holding) == 1;

    /// <summary>
    /// Begins a hold before a verified submit or approval is stored when at least
    /// <see cref="LargeWave"/> agents are connected: its rollout may start a wave to all of them.
    /// </summary>
    public void BeginForConnectedFleet()
    {
        if (registry.Count >= LargeWave)
        {
            Begin();
        }
    }

    public void Begin()
    {
        if (Interlocked.Exchange(ref _holding, 1) == 1)
        {
            return;
        }

        bool started;
        try
        {
            started = GC.TryStartNoGCRegion(Budget, disallowFullBlockingGC: true);
        }
        catch (InvalidOperationException)
        {
            // Something else in this process holds collections off already.
            started = false;
        }

        if (!started)
        {
            Volatile.Write(ref _holding, 0);
            return;
        }

        Log.Holding(logger, Budget / (1024 * 1024), Window.TotalSeconds);
        _ = EndAfterWindowAsync();
    }

    private async Task EndAfterWindowAsync()
    {
        try
        {
            await Task.Delay(Window, time);
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
        catch (InvalidOperationException)
        {
            // A collection (budget spent, or induced) already ended the hold.
        }
        finally
        {
            Volatile.Write(ref _holding, 0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3130, LogLevel.Debug, "Holding garbage collection off for up to {BudgetMb} MB or {Seconds} s while a wave goes out")]
        public static partial void Holding(ILogger logger, long budgetMb, double seconds);
    }
}
