using System.Collections.Concurrent;
using Fleet.Contracts.V1;
using Grpc.Core;

namespace Fleet.Controller.Agents;

/// <summary>
/// Sends an operator's command to one connected agent on its Connect stream and waits for the
/// agent's one <see cref="CommandResult"/>. Nothing is queued: an agent that is not connected, or
/// that disconnects before answering, makes the call fail at once with a clear status.
/// </summary>
internal sealed partial class AgentCommands(AgentRegistry registry, AgentStore agents, TimeProvider time, ILogger<AgentCommands> logger)
{
    private readonly ConcurrentDictionary<string, PendingCommand> _pending = new(StringComparer.Ordinal);

    /// <exception cref="RpcException">NotFound (no such agent), Unavailable (not connected, or gone before answering), DeadlineExceeded.</exception>
    public async Task<CommandResult> RunAsync(string agentName, AgentCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var connection = registry.Connections.FirstOrDefault(c => string.Equals(c.Name, agentName, StringComparison.Ordinal));
        if (connection is null)
        {
            var known = await agents.FindByNameAsync(agentName, cancellationToken);
            throw known is null
                ? new RpcException(new Status(StatusCode.NotFound, $"no agent is named '{agentName}' (fleetctl agents list shows them)"))
                : new RpcException(new Status(StatusCode.Unavailable, $"agent '{agentName}' is not connected; commands reach connected agents only"));
        }

        return await RunAsync(connection, command, timeout, cancellationToken);
    }

    internal async Task<CommandResult> RunAsync(AgentConnection connection, AgentCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        command.CommandId = Guid.NewGuid().ToString("N");
        var pending = new PendingCommand(connection, new TaskCompletionSource<CommandResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending[command.CommandId] = pending;
        try
        {
            if (!connection.Send(new ControllerMessage { Command = command }))
            {
                throw Gone(connection.Name);
            }

            Log.Sent(logger, command.KindCase, connection.Name, command.CommandId);
            return await pending.Result.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"agent '{connection.Name}' did not answer within {timeout.TotalSeconds:0} s; the command may still finish there"));
        }
        finally
        {
            _pending.TryRemove(command.CommandId, out _);
        }
    }

    /// <summary>Hands an agent's answer to the caller waiting for it; answers to unknown commands or from another agent are dropped.</summary>
    public void Complete(AgentConnection connection, CommandResult result)
    {
        if (_pending.TryGetValue(result.CommandId, out var pending) && pending.Connection == connection)
        {
            pending.Result.TrySetResult(result);
        }
        else
        {
            Log.Unexpected(logger, connection.Name, result.CommandId);
        }
    }

    /// <summary>The stream ended: every command still waiting on it fails now instead of at its deadline.</summary>
    public void Abandon(AgentConnection connection)
    {
        foreach (var pending in _pending.Values.Where(p => p.Connection == connection))
        {
            pending.Result.TrySetException(Gone(connection.Name));
        }
    }

    private static RpcException Gone(string name) =>
        new(new Status(StatusCode.Unavailable, $"agent '{name}' disconnected before answering; run the command again once it is back"));

    private sealed record PendingCommand(AgentConnection Connection, TaskCompletionSource<CommandResult> Result);

    private static partial class Log
    {
        [LoggerMessage(1510, LogLevel.Information, "Sent {Kind} to agent {Name} (command {CommandId})")]
        public static partial void Sent(ILogger logger, AgentCommand.KindOneofCase kind, string name, string commandId);

        [LoggerMessage(1511, LogLevel.Warning, "Agent {Name} answered command {CommandId}, which nobody waits for")]
        public static partial void Unexpected(ILogger logger, string name, string commandId);
    }
}
