using Fleet.Contracts.V1;
using Fleet.Controller.Operators;
using Fleet.Controller.Trust;
using Grpc.Core;

namespace Fleet.Controller.Audit;

[RequiresRole(TokenRole.Viewer)]
internal sealed class AuditGrpcService(AuditReader reader, TrustStore trust) : AuditService.AuditServiceBase
{
    public override async Task<ListEventsResponse> ListEvents(ListEventsRequest request, ServerCallContext context)
    {
        if (request.Limit is < 0 or > 1000)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "limit must be between 1 and 1000"));
        }

        var events = await reader.ListAsync(request.Since?.ToDateTimeOffset(), request.App, request.Limit == 0 ? 100 : request.Limit, context.CancellationToken);
        // Releases store their signers' key ids; operators know the keys by the names the trust policy gives them.
        var keys = (await trust.CurrentAsync(context.CancellationToken))?.Policy.Keys;
        foreach (var auditEvent in events.Where(e => e.Signers.Count > 0))
        {
            var names = auditEvent.Signers.Select(id => keys is not null && keys.TryGetValue(id, out var key) ? key.Name : id).ToList();
            auditEvent.Signers.Clear();
            auditEvent.Signers.AddRange(names);
        }

        var response = new ListEventsResponse();
        response.Events.AddRange(events);
        return response;
    }
}
