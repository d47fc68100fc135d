namespace Fleet.Agent.Traffic;

internal static class TrafficRegistration
{
    /// <summary>Registers the traffic switch, bound to the "Proxy" section (Proxy:AdminSocket; empty: no proxy).</summary>
    public static IServiceCollection AddTraffic(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<TrafficOptions, TrafficOptionsValidator>().BindConfiguration(TrafficOptions.Section);
        services.AddSingleton<TrafficSwitch>();
        return services;
    }
}
