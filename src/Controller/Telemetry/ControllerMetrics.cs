using System.Diagnostics.Metrics;
using Fleet.Controller.Agents;

namespace Fleet.Controller.Telemetry;

/// <summary>
/// The "Fleet.Controller" meter as this replica sees it: heartbeats, streams, rollout durations
/// (the fleet-wide gauges are <see cref="FleetMetrics"/>). Names as Prometheus shows them: docs/metrics.md.
/// </summary>
internal sealed class ControllerMetrics
{
    public const string MeterName = "Fleet.Controller";

    /// <summary>Seconds: from a few seconds (one host) to an hour (a slow rolling rollout over many waves).</summary>
    private static readonly double[] DurationBuckets = [5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];

    private readonly Counter<long> _heartbeats;
    private readonly Histogram<double> _rolloutDuration;

    public ControllerMetrics(IMeterFactory meterFactory, AgentRegistry registry)
    {
        var meter = meterFactory.Create(MeterName);
        _heartbeats = meter.CreateCounter<long>("fleet.heartbeats.received", "{heartbeat}", "Heartbeats received from agents");
        meter.CreateObservableGauge("fleet.agents.connected", () => registry.Count, "{agent}", "Agents with an open stream to this controller");
        _rolloutDuration = meter.CreateHistogram(
            "fleet.rollout.duration", "s", "Time from a rollout's start to its end, by outcome (recorded by the replica that dispatched the outcome)",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    public void HeartbeatReceived() => _heartbeats.Add(1);

    public void RolloutFinished(string app, string environment, string status, double seconds) =>
        _rolloutDuration.Record(seconds, new("app", app), new("environment", environment), new("status", status));
}
