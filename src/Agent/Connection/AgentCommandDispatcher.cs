using Fleet.Contracts.V1;

namespace Fleet.Agent.Connection;

/// <summary>Routes each controller command to the handler of its kind; every command gets exactly one result.</summary>
internal sealed partial class AgentCommandDispatcher(IEnumerable<IAgentCommandHandler> handlers, ILogger<AgentCommandDispatcher> logger)
{
    private readonly Dictionary<AgentCommand.KindOneofCase, IAgentCommandHandler> _handlers = handlers.ToDictionary(h => h.Kind);

    public async Task<CommandResult> RunAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        CommandResult result;
        if (!_handlers.TryGetValue(command.KindCase, out var handler))
        {
            result = new CommandResult { Error = $"this agent does not run {command.KindCase} commands (its version or configuration lacks the feature)" };
        }
        else
        {
            Log.Running(logger, command.KindCase, command.CommandId);
            try
            {
                result = await handler.HandleAsync(command, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.Failed(logger, command.KindCase, command.CommandId, ex);
                result = new CommandResult { Error = ex.Message };
            }
        }

        result.CommandId = command.CommandId;
        return result;
    }

    private static partial class Log
    {
        [LoggerMessage(1110, LogLevel.Information, "Running {Kind} command {CommandId} from the controller")]
        public static partial void Running(ILogger logger, AgentCommand.KindOneofCase kind, string commandId);

        [LoggerMessage(1111, LogLevel.Warning, "{Kind} command {CommandId} failed")]
        public static partial void Failed(ILogger logger, AgentCommand.KindOneofCase kind, string commandId, Exception exception);
    }
}
