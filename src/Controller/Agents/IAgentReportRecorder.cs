using Fleet.Contracts.V1;
using Npgsql;

namespace Fleet.Controller.Agents;

/// <summary>
/// Stores the report an agent event of one <see cref="Kind"/> carries (a backup run, a certificate's
/// state). Called once per event, in the transaction that stored the event de-duplicated, so a
/// report delivered twice is recorded once.
/// </summary>
internal interface IAgentReportRecorder
{
    AgentEventKind Kind { get; }

    Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid agentId, AgentEvent agentEvent, CancellationToken cancellationToken);
}
