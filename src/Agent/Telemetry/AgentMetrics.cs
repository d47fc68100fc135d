using System.Diagnostics.Metrics;

namespace Fleet.Agent.Telemetry;

/// <summary>The "Fleet.Agent" meter: heartbeats sent, reconnects, and whether the stream is up.</summary>
internal sealed class AgentMetrics
{
    public const string MeterName = "Fleet.Agent";

    private readonly Counter<long> _heartbeatsSent;
    private readonly Counter<long> _reconnects;
    private int _connected;

    public AgentMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _heartbeatsSent = meter.CreateCounter<long>("fleet.agent.heartbeats.sent", "{heartbeat}", "Heartbeats written to the controller stream");
        _reconnects = meter.CreateCounter<long>("fleet.agent.reconnects", "{reconnect}", "Connection attempts after the first");
        meter.CreateObservableGauge("fleet.agent.connected", () => Volatile.Read(ref _connected), "{connection}", "1 while the controller stream is open");
    }

    public bool Connected => Volatile.Read(ref _connected) == 1;

    public void HeartbeatSent() => _heartbeatsSent.Add(1);

    public void Reconnecting() => _reconnects.Add(1);

    public void SetConnected(bool connected) => Volatile.Write(ref _connected, connected ? 1 : 0);
}
