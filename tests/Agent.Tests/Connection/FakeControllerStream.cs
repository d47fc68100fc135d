using System.Threading.Channels;
using Fleet.Agent.Connection;
using Fleet.Contracts.V1;
using Grpc.Core;

namespace Fleet.Agent.Tests.Connection;

/// <summary>Plays the controller's side of a Connect stream in memory.</summary>
internal sealed class FakeControllerStream : IControllerStream
{
    private readonly Channel<AgentMessage> _sent = Channel.CreateUnbounded<AgentMessage>();
    private readonly Channel<ControllerMessage> _incoming = Channel.CreateUnbounded<ControllerMessage>();

    public bool Disposed { get; private set; }

    public Exception? SendFailure { get; set; }

    public Task SendAsync(AgentMessage message, CancellationToken cancellationToken)
    {
        if (SendFailure is not null)
        {
            throw SendFailure;
        }

        _sent.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    public async Task<ControllerMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _incoming.Reader.WaitToReadAsync(cancellationToken) && _incoming.Reader.TryRead(out var message) ? message : null;
        }
        catch (OperationCanceledException)
        {
            // As Grpc.Net.Client reports a call cancelled by the client.
            throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
        }
    }

    public void Dispose() => Disposed = true;

    /// <summary>The next message the agent sent (10 s real-time deadline).</summary>
    public async Task<AgentMessage> NextSentAsync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        return await _sent.Reader.ReadAsync(deadline.Token);
    }

    public bool TryTakeSent(out AgentMessage? message) => _sent.Reader.TryRead(out message);

    public void Reply(ControllerMessage message) => _incoming.Writer.TryWrite(message);

    public void Settings(int seconds) => Reply(new ControllerMessage { Settings = new ConnectionSettings { HeartbeatIntervalSeconds = seconds } });

    public void Ack(long sequence) => Reply(new ControllerMessage { HeartbeatAck = new HeartbeatAck { Sequence = sequence } });

    /// <summary>Ends the stream from the controller's side, cleanly or with an error.</summary>
    public void End(Exception? error = null) => _incoming.Writer.TryComplete(error);
}

internal sealed class FakeControllerStreamClient : IControllerStreamClient
{
    private readonly Queue<Func<IControllerStream>> _opens = new();

    public int Opens { get; private set; }

    public string? LastTransportFailure { get; set; }

    public FakeControllerStreamClient Then(FakeControllerStream stream)
    {
        _opens.Enqueue(() => stream);
        return this;
    }

    public FakeControllerStreamClient ThenFail(Exception error)
    {
        _opens.Enqueue(() => throw error);
        return this;
    }

    public IControllerStream Open(CancellationToken cancellationToken)
    {
        Opens++;
        return _opens.Dequeue()();
    }
}
