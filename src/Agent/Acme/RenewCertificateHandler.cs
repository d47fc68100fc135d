using Fleet.Agent.Connection;
using Fleet.Contracts.V1;

namespace Fleet.Agent.Acme;

/// <summary>
/// <c>fleetctl certs renew</c> on this agent: renews the named certificate now, ignoring its due
/// date and any failure backoff, and answers with its new state. A failed renewal answers ok=false
/// with the reason (the old certificate stays installed); an unknown name answers with
/// <see cref="UnknownCertificate"/> in detail so the controller can say NotFound.
/// </summary>
internal sealed class RenewCertificateHandler(CertificateRenewal renewal, CertificateInventory inventory) : IAgentCommandHandler
{
    public const string UnknownCertificate = "unknown-certificate";

    public AgentCommand.KindOneofCase Kind => AgentCommand.KindOneofCase.RenewCertificate;

    public async Task<CommandResult> HandleAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var name = command.RenewCertificate.Name;
        RenewalResult result;
        try
        {
            result = await renewal.RenewAsync(name, force: true, cancellationToken);
        }
        catch (KeyNotFoundException ex)
        {
            return new CommandResult { Error = ex.Message, Detail = UnknownCertificate };
        }

        var answer = new CommandResult { Ok = result.Succeeded, Error = result.Error ?? "" };
        if (inventory.Find(name) is { } status)
        {
            answer.Certificate = CertificateReports.ToReport(status);
        }

        return answer;
    }
}
