using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Fleet.Proxy.Telemetry;

internal static class TelemetryRegistration
{
    /// <summary>JSON console logs and the Fleet.Proxy meter through a Prometheus exporter.</summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.UseUtcTimestamp = true;
        });
        // One line per forwarded request would drown the log.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Services.AddSingleton<ProxyMetrics>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fleet-proxy", serviceVersion: typeof(TelemetryRegistration).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics.AddMeter(ProxyMetrics.MeterName).AddPrometheusExporter());
        return builder;
    }

    /// <summary>Serves GET /metrics on the metrics listener only, never on a public port.</summary>
    public static WebApplication UseTelemetry(this WebApplication app, int? metricsPort)
    {
        if (metricsPort is { } port)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port && context.Request.Path == "/metrics");
        }

        return app;
    }
}
