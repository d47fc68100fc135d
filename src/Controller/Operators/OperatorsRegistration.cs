namespace Fleet.Controller.Operators;

internal static class OperatorsRegistration
{
    public static IServiceCollection AddOperators(this IServiceCollection services)
    {
        services.AddSingleton<TokenStore>();
        services.AddSingleton<AdminTokenBootstrap>();
        services.AddSingleton<OperatorAuthInterceptor>();
        return services;
    }

    public static void MapOperators(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<TokensGrpcService>();
        endpoints.MapGrpcService<FleetGrpcService>();
    }
}
