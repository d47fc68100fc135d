namespace Fleet.Controller.Webhooks;

internal static class WebhooksRegistration
{
    /// <summary>Webhooks (fleetctl webhooks) and the loop that delivers their outbox.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookSender>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookSender>());
        return services;
    }

    public static void MapWebhooks(this IEndpointRouteBuilder endpoints) => endpoints.MapGrpcService<WebhooksGrpcService>();
}
