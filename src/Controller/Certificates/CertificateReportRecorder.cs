using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Npgsql;

namespace Fleet.Controller.Certificates;

/// <summary>Keeps the latest state of each certificate from the agents' CERTIFICATE events.</summary>
internal sealed class CertificateReportRecorder : IAgentReportRecorder
{
    public AgentEventKind Kind => AgentEventKind.Certificate;

    public Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid agentId, AgentEvent agentEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        return agentEvent.Certificate is { Name.Length: > 0 } report
            ? CertificateStore.UpsertAsync(connection, transaction, agentId, report, agentEvent.At?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch, cancellationToken)
            : Task.CompletedTask;
    }
}
