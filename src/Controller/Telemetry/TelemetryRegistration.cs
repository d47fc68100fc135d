using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fleet.Controller.Telemetry;

internal static class TelemetryRegistration
{
    /// <summary>JSON console logs, the Fleet.Controller meter, ASP.NET Core/gRPC instrumentation, Prometheus, and OTLP when configured.</summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(ConfigureJson);
        // Per-request lines from ASP.NET Core would drown the log at thousands of heartbeats a second.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton<ControllerMetrics>();
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
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
            })
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => context.Request.Path != "/metrics")
                    .AddSource("Npgsql");
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
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
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context => !context.Request.IsHttps && context.Request.Path == "/metrics");
        return app;
    }
}
