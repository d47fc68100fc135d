using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Fleet.Controller.Audit;
using Fleet.Controller.Operators;
using Grpc.Core;

namespace Fleet.Controller.Certificates;

/// <summary>fleetctl certs: the fleet's certificates as reported, and forced renewals on connected agents.</summary>
[RequiresRole(TokenRole.Viewer)]
internal sealed class CertificatesGrpcService(CertificateStore store, AgentStore agents, AgentCommands commands, AuditLog audit, TimeProvider time)
    : CertificatesService.CertificatesServiceBase
{
    /// <summary>Issuance with DNS propagation can take minutes; the agent answers when the new certificate is installed.</summary>
    public static readonly TimeSpan RenewTimeout = TimeSpan.FromMinutes(5);

    public override async Task<ListCertificatesResponse> ListCertificates(ListCertificatesRequest request, ServerCallContext context)
    {
        if (request.Agent.Length > 0 && await agents.FindByNameAsync(request.Agent, context.CancellationToken) is null)
        {
            throw UnknownAgent(request.Agent);
        }

        var response = new ListCertificatesResponse();
        response.Certificates.AddRange(await store.ListAsync(request.Agent, context.CancellationToken));
        return response;
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<ForceRenewalResponse> ForceRenewal(ForceRenewalRequest request, ServerCallContext context)
    {
        if (request.Agent.Length == 0 || request.Name.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "both the agent and the certificate name are required"));
        }

        var ct = context.CancellationToken;
        await audit.AppendAsync("certificate.renew", OperatorIdentity.From(context).TokenId, $"{request.Agent}/{request.Name}", "forced renewal", ct);
        var result = await commands.RunAsync(
            request.Agent, new AgentCommand { RenewCertificate = new RenewCertificateCommand { Name = request.Name } }, RenewTimeout, ct);
        if (result.Detail == "unknown-certificate")
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"agent '{request.Agent}': {result.Error}"));
        }

        if (result.Certificate is null)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"agent '{request.Agent}': {result.Error}"));
        }

        var reportedAt = result.Certificate.LastRenewalAt?.ToDateTimeOffset() ?? time.GetUtcNow();
        if (await agents.FindByNameAsync(request.Agent, ct) is { } agent)
        {
            await store.UpsertAsync(agent.Id, result.Certificate, reportedAt, ct);
        }

        return result.Ok
            ? new ForceRenewalResponse
            {
                Certificate = new AgentCertificate { Agent = request.Agent, Certificate = result.Certificate, ReportedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(reportedAt) },
            }
            : throw new RpcException(new Status(StatusCode.Aborted,
                $"renewing {request.Name} on agent '{request.Agent}' failed: {result.Error}; the installed certificate stays in place"));
    }

    private static RpcException UnknownAgent(string name) =>
        new(new Status(StatusCode.NotFound, $"no agent named '{name}'; 'fleetctl agents list' shows the enrolled agents"));
}
