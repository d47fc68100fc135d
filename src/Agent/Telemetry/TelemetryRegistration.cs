using Fleet.Agent.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Fleet.Agent.Telemetry;

internal static class TelemetryRegistration
{
    /// <summary>
    /// JSON console logs, the Fleet.Agent meter, a Prometheus exporter when the scrape endpoint
    /// is on, and OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set.
    /// </summary>
    public static IHostApplicationBuilder AddAgentTelemetry(this IHostApplicationBuilder builder, bool prometheus)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });

        builder.Services.AddSingleton<AgentMetrics>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("fleet-agent", serviceVersion: AgentVersion.Current))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(AgentMetrics.MeterName).AddHttpClientInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
