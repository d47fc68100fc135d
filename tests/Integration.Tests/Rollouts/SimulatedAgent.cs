using System.Threading.Channels;
using Fleet.Contracts.V1;
using Fleet.Integration.Tests.Controller;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Fleet.Integration.Tests.Rollouts;

/// <summary>
/// An enrolled agent whose Connect stream is driven by hand: it receives ReleaseAssignments and
/// reports events as the real agent's outbox would, without Docker. It sends a heartbeat every
/// 500 ms, as a live agent does, so the controller counts it as connected.
/// </summary>
internal sealed class SimulatedAgent : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly AsyncDuplexStreamingCall<AgentMessage, ControllerMessage> _call;
    private readonly Channel<ReleaseAssignment> _assignments = Channel.CreateUnbounded<ReleaseAssignment>();
    private readonly Channel<long> _acks = Channel.CreateUnbounded<long>();
    private readonly Task _reading;
    private readonly Task _beating;
    private readonly CancellationTokenSource _stop = new();
    // The request stream takes one write at a time: events and heartbeats share it.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private long _eventSequence;
    private bool _disposed;

    private SimulatedAgent(EnrolledAgent enrolled, AsyncDuplexStreamingCall<AgentMessage, ControllerMessage> call)
    {
        Enrolled = enrolled;
        _call = call;
        _reading = ReadAsync();
        _beating = BeatAsync();
    }

    public EnrolledAgent Enrolled { get; }

    public string Name => Enrolled.Name;

    public static async Task<SimulatedAgent> ConnectAsync(ControllerHarness controller, EnrolledAgent enrolled, params AppliedRelease[] applied)
    {
        var call = new AgentService.AgentServiceClient(controller.Channel(enrolled.Certificate)).Connect(cancellationToken: TestContext.Current.CancellationToken);
        var hello = new AgentHello { AgentVersion = "simulated" };
        hello.Applied.AddRange(applied);
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello });
        return new SimulatedAgent(enrolled, call);
    }

    /// <summary>The next assignment the controller sent; fails after a deadline.</summary>
    public async Task<ReleaseAssignment> NextAssignmentAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Wait);
        try
        {
            return await _assignments.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} received no assignment within {Wait.TotalSeconds}s");
        }
    }

    /// <summary>True when an assignment is waiting to be read (the controller sent one).</summary>
    public bool HasPendingAssignment => _assignments.Reader.TryPeek(out _);

    /// <summary>Sends an event and waits for its EventAck; returns the event sequence used.</summary>
    public async Task<long> ReportAsync(ReleaseAssignment assignment, AgentEventKind kind, string detail = "", long? sequence = null)
    {
        var number = sequence ?? Interlocked.Increment(ref _eventSequence);
        await WriteAsync(new AgentMessage
        {
            Event = new AgentEvent
            {
                Sequence = number,
                At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
                RolloutId = assignment.RolloutId,
                App = assignment.App,
                ReleaseSequence = assignment.Sequence,
                Kind = kind,
                Detail = detail,
                LogTail = kind == AgentEventKind.Failed ? "health check failed: connection refused" : "",
            },
        });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Wait);
        while (await _acks.Reader.ReadAsync(timeout.Token) < number)
        {
        }

        return number;
    }

    /// <summary>APPLIED then HEALTHY, as an agent whose swap succeeded.</summary>
    public async Task SucceedAsync(ReleaseAssignment assignment)
    {
        await ReportAsync(assignment, AgentEventKind.Applied);
        await ReportAsync(assignment, AgentEventKind.Healthy);
    }

    /// <summary>Ends the stream, as an agent that stops; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync();
        await _beating;
        try
        {
            await _call.RequestStream.CompleteAsync();
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException)
        {
            // The controller already ended the stream (e.g. it was restarted).
        }

        _call.Dispose();
        _stop.Dispose();
        _writing.Dispose();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is RpcException or ObjectDisposedException)
        {
            // The stream was cancelled by the dispose above, or the reader asked for more after it.
        }
    }

    private async Task WriteAsync(AgentMessage message)
    {
        await _writing.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            await _call.RequestStream.WriteAsync(message);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task BeatAsync()
    {
        try
        {
            for (var sequence = 1L; ; sequence++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), _stop.Token);
                await WriteAsync(new AgentMessage { Heartbeat = new Heartbeat { Sequence = sequence } });
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException or InvalidOperationException)
        {
            // Disposed, or the controller ended the stream.
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var message in _call.ResponseStream.ReadAllAsync())
            {
                switch (message.KindCase)
                {
                    case ControllerMessage.KindOneofCase.Assignment:
                        await _assignments.Writer.WriteAsync(message.Assignment);
                        break;
                    case ControllerMessage.KindOneofCase.EventAck:
                        await _acks.Writer.WriteAsync(message.EventAck.Sequence);
                        break;
                }
            }
        }
        finally
        {
            _assignments.Writer.TryComplete();
            _acks.Writer.TryComplete();
        }
    }
}
