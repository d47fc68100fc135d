using Grpc.Core;

namespace Fleet.Controller.Agents;

/// <summary>
/// One open Connect stream. Kept deliberately small (10,000 of them live at once): no timer or
/// task of its own; the down sweeper reads <see cref="LastHeartbeat"/>.
/// </summary>
internal sealed class AgentConnection(Guid agentId, string name, DateTimeOffset connectedAt) : IDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private long _lastHeartbeatTicks = connectedAt.UtcTicks;
    private Status _closeStatus;

    public Guid AgentId { get; } = agentId;

    public string Name { get; } = name;

    /// <summary>Cancelled when the controller ends this stream (revoked, replaced, silent, shutting down).</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Why the controller ended the stream; meaningful once <see cref="Closed"/> fired.</summary>
    public Status CloseStatus => _closeStatus;

    public DateTimeOffset LastHeartbeat => new(Interlocked.Read(ref _lastHeartbeatTicks), TimeSpan.Zero);

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
