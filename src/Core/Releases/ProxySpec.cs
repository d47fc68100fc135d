using Fleet.Core.Proxy;

namespace Fleet.Core.Releases;

/// <summary>
/// How a service is reached through fleet-proxy (<c>proxy:</c> in fleet.yaml): by host name and
/// optional path prefix on the proxy's HTTP/HTTPS ports, and on its own stable listeners.
/// </summary>
public sealed record ProxySpec
{
    /// <summary>Host names routed to this service (DNS names).</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>Only paths under this prefix (e.g. /api); null: every path.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>Bridge network: the container port the proxy reaches. Null: the slot port (host network, $PORT).</summary>
    public int? Port { get; init; }

    /// <summary>Serve over HTTPS only. Not supported by fleet-proxy yet: refused at signing.</summary>
    public bool Tls { get; init; }

    /// <summary>Time requests in flight on the old slot get after a switch before they are closed. Default 30 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The service's own stable listeners (its host ports), host IP honoured.</summary>
    public IReadOnlyList<ProxyListener> Listen { get; init; } = [];
}
