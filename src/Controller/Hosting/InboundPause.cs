using Microsoft.AspNetCore.Connections;

namespace Fleet.Controller.Hosting;

/// <summary>
/// While a large wave of assignments goes out, the controller stops handling what its connections
/// send (agents' reports and heartbeats, operators' calls) so that its CPU goes to sending. With
/// 10,000 agents, each answers its assignment at once with a report; reading, decrypting, storing
/// and acknowledging those answers while the wave was still going out took about a third of the
/// controller's CPU in the wave and delayed the last hosts' assignments by as much (bench/fanout.sh).
/// Nothing is lost: bytes wait in the kernel's and the transport's buffers, and a read that
/// completes during the pause is handed on when it ends. The pause ends once every connection the
/// wave wrote to has also sent something back since it began (as many as <see cref="Expect"/>
/// says), which shows its assignment arrived; or after <see cref="Limit"/> (a host that went away
/// mid-wave never answers). One pause at a time.
/// </summary>
internal sealed partial class InboundPause(TimeProvider time, ILogger<InboundPause> logger) : IDisposable
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private TaskCompletionSource? _paused;
    private ITimer? _limit;
    private long _startedAt;
    // Each pause has its own number, so that a connection counts once per pause.
    private int _pause;
    private int _answered;
    private int _expected;

    public bool IsPaused => Volatile.Read(ref _paused) is not null;

    /// <summary>Completes when the current pause ends; null when there is none.</summary>
    internal Task? Current => Volatile.Read(ref _paused)?.Task;

    /// <summary>Begins a pause numbered <paramref name="pause"/>; false (nothing changes) when one is already running.</summary>
    public bool TryBegin(out int pause)
    {
        lock (_lock)
        {
            if (_paused is not null)
            {
                pause = 0;
                return false;
            }

            _startedAt = time.GetTimestamp();
            Volatile.Write(ref _answered, 0);
            Volatile.Write(ref _expected, int.MaxValue);
            pause = Interlocked.Increment(ref _pause);
            Volatile.Write(ref _paused, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _limit = time.CreateTimer(_ => End(reachedLimit: true), null, Limit, Timeout.InfiniteTimeSpan);
        }

        Log.Paused(logger, Limit.TotalSeconds);
        return true;
    }

    /// <summary>
    /// Pause <paramref name="pause"/> ends once <paramref name="connections"/> connections were
    /// written to and answered; nothing changes when that pause is over (another may be running).
    /// </summary>
    public void Expect(int pause, int connections)
    {
        lock (_lock)
        {
            if (_paused is null || _pause != pause)
            {
                return;
            }

            Interlocked.Exchange(ref _expected, connections);
        }

        if (Volatile.Read(ref _answered) >= connections)
        {
            End(reachedLimit: false);
        }
    }

    /// <summary>
    /// Kestrel connection middleware, placed before <c>UseHttps</c>: the pause holds back raw
    /// bytes, so neither decryption nor anything after it runs for them until it ends.
    /// </summary>
    public Task Wrap(ConnectionContext connection, ConnectionDelegate next)
    {
        connection.Transport = new PausableTransport(this, connection.Transport);
        return next(connection);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _limit?.Dispose();
            _limit = null;
        }
    }

    /// <summary>The number of the current pause; 0 when there is none.</summary>
    private int Running => Volatile.Read(ref _paused) is null ? 0 : Volatile.Read(ref _pause);

    /// <summary>A connection was written to and then answered (or the other way round) during the current pause.</summary>
    private void Answered()
    {
        if (Interlocked.Increment(ref _answered) >= Volatile.Read(ref _expected))
        {
            End(reachedLimit: false);
        }
    }

    private void End(bool reachedLimit)
    {
        TaskCompletionSource ended;
        lock (_lock)
        {
            if (_paused is null)
            {
                return;
            }

            ended = _paused;
            Volatile.Write(ref _paused, null);
            _limit?.Dispose();
            _limit = null;
        }

        ended.TrySetResult();
        Log.Resumed(logger, time.GetElapsedTime(_startedAt).TotalMilliseconds, Volatile.Read(ref _answered), reachedLimit ? "time limit reached" : "the wave is out");
    }

    private static partial class Log
    {
        [LoggerMessage(1040, LogLevel.Debug, "Pausing reads from connections while a wave of assignments goes out (at most {Seconds} s)")]
        public static partial void Paused(ILogger logger, double seconds);

        [LoggerMessage(1041, LogLevel.Debug, "Reading from connections again after {ElapsedMs:0} ms, {Connections} connections answered ({Reason})")]
        public static partial void Resumed(ILogger logger, double elapsedMs, int connections, string reason);
    }
}
