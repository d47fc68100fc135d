namespace Fleet.Controller.Notifications;

internal static class NotificationsRegistration
{
    /// <summary>The loop that dispatches notifications (metrics of rollout outcomes, webhook deliveries).</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddHostedService<NotificationDispatcher>();
        return services;
    }
}
