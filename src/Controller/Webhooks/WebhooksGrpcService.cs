using Fleet.Contracts.V1;
using Fleet.Controller.Notifications;
using Fleet.Controller.Operators;
using Grpc.Core;

namespace Fleet.Controller.Webhooks;

[RequiresRole(TokenRole.Admin)]
internal sealed class WebhooksGrpcService(WebhookStore store, WebhookSender sender, TimeProvider time) : WebhooksService.WebhooksServiceBase
{
    public override async Task<AddWebhookResponse> AddWebhook(AddWebhookRequest request, ServerCallContext context)
    {
        var format = request.Format switch
        {
            WebhookFormat.Slack => "slack",
            WebhookFormat.Json => "json",
            _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "a webhook needs a format: slack or json")),
        };
        try
        {
            var (webhook, createdAt) = await store.AddAsync(
                request.Name, request.Url, format, request.Events, OperatorIdentity.From(context).TokenId, context.CancellationToken);
            var added = new Webhook
            {
                Name = webhook.Name, UrlOrigin = webhook.Origin, Format = request.Format,
                CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(createdAt), CreatedBy = OperatorIdentity.From(context).TokenId,
            };
            added.Events.AddRange(webhook.Events);
            return new AddWebhookResponse { Webhook = added, Secret = webhook.Secret };
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
        catch (InvalidOperationException ex)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, ex.Message));
        }
    }

    public override async Task<ListWebhooksResponse> ListWebhooks(ListWebhooksRequest request, ServerCallContext context)
    {
        var response = new ListWebhooksResponse();
        response.Webhooks.AddRange(await store.ListAsync(context.CancellationToken));
        return response;
    }

    public override async Task<RemoveWebhookResponse> RemoveWebhook(RemoveWebhookRequest request, ServerCallContext context) =>
        await store.RemoveAsync(request.Name, OperatorIdentity.From(context).TokenId, context.CancellationToken)
            ? new RemoveWebhookResponse()
            : throw new RpcException(new Status(StatusCode.NotFound, $"no webhook named '{request.Name}'"));

    public override async Task<TestWebhookResponse> TestWebhook(TestWebhookRequest request, ServerCallContext context)
    {
        var webhook = await store.GetAsync(request.Name, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no webhook named '{request.Name}'"));
        var test = new Notification(0, time.GetUtcNow(), "webhook.test", "", "", "", null, $"test notification for webhook {webhook.Name}", "{}");
        var result = await sender.SendAsync(webhook, test, 0, context.CancellationToken);
        return new TestWebhookResponse { Delivered = result.Delivered, HttpStatus = result.HttpStatus, Error = result.Error };
    }
}
