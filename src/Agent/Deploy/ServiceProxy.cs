using Fleet.Core.Proxy;

namespace Fleet.Agent.Deploy;

/// <summary>How a service is reached through fleet-proxy (the release's <c>proxy:</c> block).</summary>
internal sealed record ServiceProxy(
    IReadOnlyList<string> Hosts,
    string? PathPrefix,
    bool Tls,
    TimeSpan DrainTimeout,
    IReadOnlyList<ProxyListener> Listeners);
