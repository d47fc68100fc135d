using Grpc.Core;

namespace Fleet.Controller.Agents;

internal static class AgentsRegistration
{
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddSingleton<AgentRegistry>();
        services.AddSingleton<AgentStore>();
        services.AddSingleton<AgentDirectory>();
        services.AddSingleton<AgentAuthenticator>();
        services.AddSingleton<AgentStreams>();
        services.AddSingleton<AgentCommands>();
        services.AddSingleton<AgentCatalog>();
        services.AddSingleton<IHeartbeatStore, HeartbeatStore>();
        services.AddSingleton<HeartbeatWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatWriter>());
        services.AddHostedService<DownSweeper>();
        return services;
    }

    public static void MapAgents(this WebApplication app)
    {
        app.MapGrpcService<AgentGrpcService>();
        app.MapGrpcService<AgentsGrpcService>();
        // Before Kestrel waits for open requests: end every agent stream so shutdown is prompt.
        var registry = app.Services.GetRequiredService<AgentRegistry>();
        app.Lifetime.ApplicationStopping.Register(() =>
            registry.CloseAll(StatusCode.Unavailable, "the controller is shutting down; reconnect"));
    }
}
