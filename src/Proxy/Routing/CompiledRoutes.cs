using System.Collections.Frozen;
using Fleet.Core.Proxy;

namespace Fleet.Proxy.Routing;

/// <summary>
/// A route table arranged for lookup: by the listener port a connection came in on (a service's
/// own port), else by host name and the longest matching path prefix. Immutable: a new table is a
/// new instance, swapped in by one reference assignment.
/// </summary>
internal sealed class CompiledRoutes
{
    private readonly FrozenDictionary<int, ProxyRoute> _byPort;
    private readonly FrozenDictionary<string, ProxyRoute[]> _byHost;

    public CompiledRoutes(ProxyRouteTable table)
    {
        Table = table;
        _byPort = table.Routes
            .SelectMany(r => r.Listeners.Select(l => (l.Port, Route: r)))
            .DistinctBy(x => x.Port)
            .ToFrozenDictionary(x => x.Port, x => x.Route);
        _byHost = table.Routes
            .SelectMany(r => r.Hosts.Select(h => (Host: h.ToLowerInvariant(), Route: r)))
            .GroupBy(x => x.Host, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.Select(x => x.Route).Distinct().OrderByDescending(r => r.PathPrefix?.Length ?? 0).ToArray(),
                StringComparer.OrdinalIgnoreCase);
    }

    public ProxyRouteTable Table { get; }

    /// <summary>The ports of the services' own listeners.</summary>
    public IEnumerable<ProxyListener> Listeners => Table.Routes.SelectMany(r => r.Listeners);

    public ProxyRoute? ForPort(int localPort) => _byPort.GetValueOrDefault(localPort);

    public ProxyRoute? ForHost(string host, PathString path)
    {
        if (!_byHost.TryGetValue(host, out var routes))
        {
            return null;
        }

        foreach (var route in routes)
        {
            if (route.PathPrefix is null || PrefixMatches(route.PathPrefix, path))
            {
                return route;
            }
        }

        return null;
    }

    // /api matches /api and /api/x, never /apix.
    private static bool PrefixMatches(string prefix, PathString path)
    {
        var trimmed = prefix.TrimEnd('/');
        var value = path.Value ?? "/";
        return trimmed.Length == 0
            || (value.StartsWith(trimmed, StringComparison.Ordinal) && (value.Length == trimmed.Length || value[trimmed.Length] == '/'));
    }
}
