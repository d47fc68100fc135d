using Fleet.Contracts.V1;

namespace Fleet.Agent.Identity;

/// <summary>Calls AgentService.RenewCertificate over the agent's mutual-TLS channel.</summary>
internal interface ICertificateRenewalClient
{
    Task<RenewCertificateResponse> RenewAsync(byte[] csrDer, CancellationToken cancellationToken);
}
