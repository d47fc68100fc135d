using Fleet.Contracts.V1;
using Fleet.Controller.Operators;
using Grpc.Core;

namespace Fleet.Controller.Agents;

[RequiresRole(TokenRole.Viewer)]
internal sealed class AgentsGrpcService(AgentCatalog catalog) : AgentsService.AgentsServiceBase
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
    public override async Task<RevokeAgentResponse> RevokeAgent(RevokeAgentRequest request, ServerCallContext context) =>
        new() { Agent = await catalog.RevokeAsync(request.Name, OperatorIdentity.From(context).TokenId, context.CancellationToken) };
}
