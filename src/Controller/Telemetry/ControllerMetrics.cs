using System.Diagnostics.Metrics;
using Fleet.Controller.Agents;

namespace Fleet.Controller.Telemetry;

/// <summary>The "Fleet.Controller" meter.</summary>
internal sealed class ControllerMetrics
{
    public const string MeterName = "Fleet.Controller";

    private readonly Counter<long> _heartbeats;

    public ControllerMetrics(IMeterFactory meterFactory, AgentRegistry registry)
    {
        var meter = meterFactory.Create(MeterName);
        _heartbeats = meter.CreateCounter<long>("fleet.heartbeats.received", "{heartbeat}", "Heartbeats received from agents");
        meter.CreateObservableGauge("fleet.agents.connected", () => registry.Count, "{agent}", "Agents with an open stream to this controller");
    }

    public void HeartbeatReceived() => _heartbeats.Add(1);
}
