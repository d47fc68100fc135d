namespace Fleet.Agent.Connection;

internal static class ConnectionRegistration
{
    public static IServiceCollection AddControllerConnection(this IServiceCollection services)
    {
        services.AddSingleton<ControllerChannel>();
        services.AddSingleton<IControllerStreamClient, GrpcControllerStreamClient>();
        services.AddSingleton<AgentCommandDispatcher>();
        services.AddHostedService<ControllerStreamWorker>();
        return services;
    }
}
