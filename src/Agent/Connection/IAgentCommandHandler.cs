using Fleet.Contracts.V1;

namespace Fleet.Agent.Connection;

/// <summary>
/// Runs one kind of operator command sent by the controller (register with
/// <c>services.AddSingleton&lt;IAgentCommandHandler, …&gt;()</c>). An exception becomes a failed
/// <see cref="CommandResult"/> whose error is the exception's message, so throw operator-facing ones.
/// </summary>
internal interface IAgentCommandHandler
{
    AgentCommand.KindOneofCase Kind { get; }

    Task<CommandResult> HandleAsync(AgentCommand command, CancellationToken cancellationToken);
}
