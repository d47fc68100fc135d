using System.Text.Json.Serialization;

namespace Fleet.Core.Proxy;

/// <summary>
/// How one service of one app is reached through fleet-proxy, and which slot serves it now.
/// The agent sends the whole table of these to the proxy's admin API; the proxy keeps it on disk.
/// Optional properties have setters: JSON source generation would set missing init-only ones to null.
/// </summary>
public sealed record ProxyRoute
{
    public required string App { get; init; }

    public required string Service { get; init; }

    /// <summary>The slot that serves ("a" or "b"); a label for metrics and draining.</summary>
    public required string Slot { get; init; }

    /// <summary>Where the slot listens: IP:PORT (in practice 127.0.0.1:PORT).</summary>
    public required string Upstream { get; init; }

    /// <summary>Host names routed on the proxy's HTTP/HTTPS listeners (DNS names, no wildcards).</summary>
    public IReadOnlyList<string> Hosts { get; set; } = [];

    /// <summary>Only requests whose path starts with this segment prefix (e.g. /api); null: every path.</summary>
    public string? PathPrefix { get; set; }

    /// <summary>Served over HTTPS only. Not supported yet: a route with it is refused.</summary>
    public bool Tls { get; set; }

    /// <summary>Stable listeners of this service alone (its declared host ports).</summary>
    public IReadOnlyList<ProxyListener> Listeners { get; set; } = [];

    /// <summary>The route's identity in messages: app/service.</summary>
    [JsonIgnore]
    public string Name => $"{App}/{Service}";
}

/// <summary>A listening address of the proxy: <see cref="HostIp"/> (default all addresses) and <see cref="Port"/>.</summary>
public sealed record ProxyListener
{
    public string HostIp { get; set; } = "0.0.0.0";

    public required int Port { get; init; }

    public override string ToString() => HostIp.Contains(':', StringComparison.Ordinal) ? $"[{HostIp}]:{Port}" : $"{HostIp}:{Port}";
}
