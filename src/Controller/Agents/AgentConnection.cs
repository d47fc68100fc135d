using System.Threading.Channels;
using Fleet.Contracts.V1;
using Grpc.Core;

namespace Fleet.Controller.Agents;

/// <summary>
/// One open Connect stream. Kept deliberately small (10,000 of them live at once): no timer or
/// task of its own; the down sweeper reads <see cref="LastHeartbeat"/>. Everything the controller
/// sends on the stream goes through <see cref="Send"/>, drained by the stream's single writer.
/// </summary>
internal sealed class AgentConnection(Guid agentId, string name, DateTimeOffset connectedAt) : IDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private long _lastHeartbeatTicks = connectedAt.UtcTicks;
    private readonly Channel<ControllerMessage> _outbound = Channel.CreateUnbounded<ControllerMessage>(new UnboundedChannelOptions { SingleReader = true });
    // Created by the first assignment: most streams never carry one.
    private HashSet<string>? _sent;
    private Status _closeStatus;

    public Guid AgentId { get; } = agentId;

    public string Name { get; } = name;

    /// <summary>Cancelled when the controller ends this stream (revoked, replaced, silent, shutting down).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Why the controller ended the stream; meaningful once <see cref="Closed"/> fired.</summary>
    public Status CloseStatus => _closeStatus;

    public DateTimeOffset LastHeartbeat => new(Interlocked.Read(ref _lastHeartbeatTicks), TimeSpan.Zero);

    /// <summary>What the stream writer sends, in order.</summary>
    public ChannelReader<ControllerMessage> Outbound => _outbound.Reader;

    /// <summary>Queues a message for this stream; false once the stream has ended.</summary>
    public bool Send(ControllerMessage message) => _outbound.Writer.TryWrite(message);

    /// <summary>
    /// Queues <paramref name="assignment"/> (a message that may be shared with other streams: it is
    /// only read) unless <paramref name="key"/> was already sent on this stream (a reconnect is a
    /// new connection, so assignments are sent again after it).
    /// </summary>
    public bool SendOnce(string key, ControllerMessage assignment)
    {
        lock (_outbound)
        {
            if (!(_sent ??= new HashSet<string>(StringComparer.Ordinal)).Add(key))
            {
                return false;
            }
        }

        return Send(assignment);
    }

    public void CompleteOutbound() => _outbound.Writer.TryComplete();

    public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastHeartbeatTicks, now.UtcTicks);

    public void Close(StatusCode code, string reason)
    {
        _closeStatus = new Status(code, reason);
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream already ended on its own.
        }
    }

    public void Dispose() => _closed.Dispose();
}
