using Fleet.Contracts.V1;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fleet.Controller.Telemetry;

internal static class TelemetryRegistration
{
    /// <summary>
    /// An agent's Connect stream lasts as long as the agent stays connected (days): as a span it
    /// would be exported only when it ends and would hold its tags all that time.
    /// </summary>
    private static readonly PathString AgentConnectPath = $"/{AgentService.Descriptor.FullName}/Connect";

    /// <summary>JSON console logs, the Fleet.Controller meter, ASP.NET Core/gRPC instrumentation, Prometheus, and OTLP when configured.</summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(ConfigureJson);
        // Per-request lines from ASP.NET Core would drown the log at thousands of heartbeats a second.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton<FleetReader>();
        builder.Services.AddSingleton<ControllerMetrics>();
        builder.Services.AddSingleton<FleetMetrics>();
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fleet-controller", serviceVersion: typeof(TelemetryRegistration).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ControllerMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddMeter("Microsoft.AspNetCore.Server.Kestrel", "Grpc.AspNetCore.Server", "Npgsql", "System.Runtime")
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        // Spans are only recorded for an exporter: with none, each agent's stream would hold a
        // recorded Activity and its tags for as long as the agent stays connected.
        if (otlp)
        {
            otel.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => context.Request.Path != "/metrics" && context.Request.Path != AgentConnectPath)
                .AddSource("Npgsql")
                .AddOtlpExporter());
        }

        return builder;
    }

    public static void ConfigureJson(Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions options)
    {
        options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        options.UseUtcTimestamp = true;
    }

    /// <summary>Serves /metrics only on the plain-HTTP metrics listener, never on the gRPC port.</summary>
    public static WebApplication UseTelemetry(this WebApplication app)
    {
        // Nothing else asks for the fleet-wide gauges: create them, so that they exist to be observed.
        app.Services.GetRequiredService<FleetMetrics>();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => !context.Request.IsHttps && context.Request.Path == "/metrics");
        return app;
    }
}
