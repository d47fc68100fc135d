using System.Security.Cryptography.X509Certificates;
using Fleet.Contracts.V1;
using Fleet.Core.Transport;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Fleet.Bench.Connect;

/// <summary>
/// One agent as the controller sees it: its own certificate, its own TLS connection and one
/// Connect stream. It reconnects with the agent's jittered backoff when the stream breaks.
/// Release assignments go to <see cref="AssignmentReceived"/> as they arrive; <see cref="SendAsync"/>
/// writes on the stream between heartbeats.
/// </summary>
internal sealed class SimulatedAgent(int index, Uri controller, string caPin, X509Certificate2 certificate) : IDisposable
{
    private readonly SemaphoreSlim _writing = new(1, 1);
    private AsyncDuplexStreamingCall<AgentMessage, ControllerMessage>? _call;
    private long _sequence;
    private TimeSpan _reconnectSpread;
    private TimeSpan _interval = TimeSpan.FromSeconds(10);
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Index { get; } = index;

    public long Acknowledged;

    public Task Connected => _connected.Task;

    private volatile bool _beating;

    /// <summary>Heartbeat period while the benchmark measures ingest; idle otherwise.</summary>
    public bool Beating
    {
        get => _beating;
        set => _beating = value;
    }

    /// <summary>Called on the stream's reader as each assignment arrives.</summary>
    public Action<SimulatedAgent, ReleaseAssignment>? AssignmentReceived { get; init; }

    public void Dispose() => _writing.Dispose();

    /// <summary>Writes a message on the current stream (between heartbeats, never concurrently with them).</summary>
    public async Task SendAsync(AgentMessage message, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await (_call ?? throw new InvalidOperationException($"agent {Index} is not connected")).RequestStream.WriteAsync(message, cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async Task RunAsync(SemaphoreSlim dialGate, TimeSpan beatPeriod, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await StreamAsync(dialGate, beatPeriod, cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // The same policy as the real agent: a lost established stream is retried within the
            // spread the controller asked for, failed attempts back off.
            TimeSpan wait;
            if (_connected.Task.IsCompleted)
            {
                _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _reconnectSpread * Random.Shared.NextDouble();
                backoff = TimeSpan.FromSeconds(1);
            }
            else
            {
                wait = backoff * (0.8 + (Random.Shared.NextDouble() * 0.4));
                backoff = TimeSpan.FromSeconds(Math.Min(backoff.TotalSeconds * 1.6, 60));
            }
            try
            {
                await Task.Delay(wait, TimeProvider.System, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task StreamAsync(SemaphoreSlim dialGate, TimeSpan beatPeriod, CancellationToken cancellationToken)
    {
        using var channel = PinnedChannel.Create(controller, new PinnedServerValidator([caPin]), () => certificate);
        // As the real agent does, a handshake that gets no answer is abandoned and retried.
        using var call = new AgentService.AgentServiceClient(channel).Connect(cancellationToken: cancellationToken);
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var abandon = handshake.Token.Register(call.Dispose);
        await dialGate.WaitAsync(cancellationToken);
        handshake.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            _call = call;
            await SendAsync(new AgentMessage { Hello = new AgentHello { AgentVersion = "bench" } }, cancellationToken);
            await SendAsync(Beat(), cancellationToken);
            if (!await WaitForAckAsync(call, cancellationToken))
            {
                return;
            }
        }
        finally
        {
            handshake.CancelAfter(Timeout.InfiniteTimeSpan);
            dialGate.Release();
        }

        _connected.TrySetResult();
        var reader = ReadAcksAsync(call, cancellationToken);
        // Idle agents beat at the controller's interval, as real ones do (it closes silent streams);
        // while ingest is measured they beat at the benchmark's period.
        while (!reader.IsCompleted)
        {
            await Task.WhenAny(reader, Task.Delay(Beating ? beatPeriod : _interval, TimeProvider.System, cancellationToken));
            if (!reader.IsCompleted)
            {
                await SendAsync(Beat(), cancellationToken);
            }
        }

        await reader;
    }

    private async Task<bool> WaitForAckAsync(AsyncDuplexStreamingCall<AgentMessage, ControllerMessage> call, CancellationToken cancellationToken)
    {
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            var message = call.ResponseStream.Current;
            if (message.KindCase == ControllerMessage.KindOneofCase.Settings)
            {
                _reconnectSpread = TimeSpan.FromSeconds(message.Settings.ReconnectSpreadSeconds);
                _interval = TimeSpan.FromSeconds(Math.Max(1, message.Settings.HeartbeatIntervalSeconds));
            }
            else if (Handle(message) == ControllerMessage.KindOneofCase.HeartbeatAck)
            {
                return true;
            }
        }

        return false;
    }

    private async Task ReadAcksAsync(AsyncDuplexStreamingCall<AgentMessage, ControllerMessage> call, CancellationToken cancellationToken)
    {
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            Handle(call.ResponseStream.Current);
        }

        throw new RpcException(new Status(StatusCode.Unavailable, "stream ended"));
    }

    private ControllerMessage.KindOneofCase Handle(ControllerMessage message)
    {
        switch (message.KindCase)
        {
            case ControllerMessage.KindOneofCase.HeartbeatAck:
                Interlocked.Increment(ref Acknowledged);
                break;
            case ControllerMessage.KindOneofCase.Assignment:
                AssignmentReceived?.Invoke(this, message.Assignment);
                break;
        }

        return message.KindCase;
    }

    private AgentMessage Beat() => new()
    {
        Heartbeat = new Heartbeat
        {
            Sequence = Interlocked.Increment(ref _sequence),
            Status = new StatusSnapshot
            {
                TakenAt = Timestamp.FromDateTimeOffset(TimeProvider.System.GetUtcNow()),
                CpuPercent = 3.5,
                MemoryTotalBytes = 8UL << 30,
                MemoryAvailableBytes = 6UL << 30,
                DiskTotalBytes = 100UL << 30,
                DiskFreeBytes = 60UL << 30,
                DockerReachable = true,
                DockerVersion = "20.10",
                AgentVersion = "bench",
                UptimeSeconds = 100,
                Hostname = $"bench-{Index}",
            },
        },
    };
}
