using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Fleet.Controller.Backups;
using Fleet.Controller.Certificates;
using Fleet.Controller.Webhooks;
using Grpc.Core;

namespace Fleet.Controller.Operators;

[RequiresRole(TokenRole.Viewer)]
internal sealed class FleetGrpcService(AgentCatalog catalog, CertificateStore certificates, BackupRunStore backups, WebhookStore webhooks, TimeProvider time) : FleetService.FleetServiceBase
{
    public override async Task<GetFleetStatusResponse> GetFleetStatus(GetFleetStatusRequest request, ServerCallContext context)
    {
        var agents = await catalog.ListAsync(new Dictionary<string, string>(), context.CancellationToken);
        var response = new GetFleetStatusResponse
        {
            AgentsTotal = agents.Count,
            AgentsConnected = agents.Count(a => a.State == AgentState.Connected),
            AgentsDown = agents.Count(a => a.State == AgentState.Down),
            AgentsRevoked = agents.Count(a => a.State == AgentState.Revoked),
            AgentsPending = agents.Count(a => a.State == AgentState.Pending),
            ControllerVersion = typeof(FleetGrpcService).Assembly.GetName().Version?.ToString(3) ?? "",
        };
        response.Agents.AddRange(agents);
        response.CertificateProblems.AddRange(await certificates.ProblemsAsync(time.GetUtcNow(), context.CancellationToken));
        response.FailedBackups.AddRange(await backups.LatestFailedAsync(context.CancellationToken));
        response.WebhookProblems.AddRange(await webhooks.ProblemsAsync(context.CancellationToken));
        return response;
    }

    public override Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        var caller = OperatorIdentity.From(context);
        return Task.FromResult(new WhoAmIResponse { TokenId = caller.TokenId, Role = caller.Role, Description = caller.Description });
    }
}
