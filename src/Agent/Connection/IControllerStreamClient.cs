using Fleet.Contracts.V1;

namespace Fleet.Agent.Connection;

/// <summary>Opens the Connect stream; a seam so the heartbeat loop can be tested without sockets.</summary>
internal interface IControllerStreamClient
{
    IControllerStream Open(CancellationToken cancellationToken);

    /// <summary>Why the last TLS handshake was refused, if it was.</summary>
    string? LastTransportFailure { get; }
}

internal interface IControllerStream : IDisposable
{
    Task SendAsync(AgentMessage message, CancellationToken cancellationToken);

    /// <summary>The next message, or null when the controller ended the stream.</summary>
    Task<ControllerMessage?> ReadAsync(CancellationToken cancellationToken);
}
