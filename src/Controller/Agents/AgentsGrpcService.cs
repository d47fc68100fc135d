using Fleet.Contracts.V1;
using Fleet.Controller.Audit;
using Fleet.Controller.Operators;
using Grpc.Core;

namespace Fleet.Controller.Agents;

[RequiresRole(TokenRole.Viewer)]
internal sealed class AgentsGrpcService(AgentCatalog catalog, AuditLog audit) : AgentsService.AgentsServiceBase
{
    public override async Task<ListAgentsResponse> ListAgents(ListAgentsRequest request, ServerCallContext context)
    {
        var response = new ListAgentsResponse();
        response.Agents.AddRange(await catalog.ListAsync(request.LabelSelector, context.CancellationToken));
        return response;
    }

    public override async Task<GetAgentResponse> GetAgent(GetAgentRequest request, ServerCallContext context) =>
        new() { Agent = await catalog.GetAsync(request.Name, context.CancellationToken) };

    [RequiresRole(TokenRole.Admin)]
    public override async Task<RevokeAgentResponse> RevokeAgent(RevokeAgentRequest request, ServerCallContext context)
    {
        var tokenId = OperatorIdentity.From(context).TokenId;
        var agent = await catalog.RevokeAsync(request.Name, tokenId, context.CancellationToken);
        await audit.AppendAsync("agent.revoke", tokenId, $"agent {agent.Name}", "", context.CancellationToken);
        return new RevokeAgentResponse { Agent = agent };
    }
}
