using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Fleet.Core.Proxy;

/// <summary>
/// The rules a route table must meet, shared by the proxy's admin API, the agent (across apps) and
/// release signing (within one release), so that all three refuse the same things in the same words.
/// </summary>
public static partial class ProxyRouteValidator
{
    /// <summary>TLS termination is not built yet: a route that asks for it is refused rather than served in clear.</summary>
    public const string TlsNotSupported = "tls: true is not supported by fleet-proxy yet (it would be served over plain HTTP)";

    /// <summary>Every problem of the table, each a sentence; empty when the table is good.</summary>
    public static IReadOnlyList<string> Validate(ProxyRouteTable table, IReadOnlySet<int>? reservedPorts = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var errors = new List<string>();
        foreach (var route in table.Routes)
        {
            errors.AddRange(RouteErrors(route, reservedPorts));
        }

        foreach (var duplicate in table.Routes.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{duplicate.Key} has more than one route");
        }

        errors.AddRange(Conflicts(table.Routes));
        return errors;
    }

    /// <summary>A host name or listening port that two routes claim, naming both.</summary>
    public static IEnumerable<string> Conflicts(IReadOnlyList<ProxyRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var hosts = new Dictionary<string, ProxyRoute>(StringComparer.OrdinalIgnoreCase);
        var ports = new Dictionary<int, ProxyRoute>();
        foreach (var route in routes)
        {
            foreach (var host in route.Hosts.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var key = host + (route.PathPrefix ?? "/");
                if (hosts.TryGetValue(key, out var other) && other.Name != route.Name)
                {
                    yield return $"host {host}{route.PathPrefix} is claimed by both {other.Name} and {route.Name}";
                }
                else
                {
                    hosts[key] = route;
                }
            }

            foreach (var port in route.Listeners.Select(l => l.Port).Distinct())
            {
                if (ports.TryGetValue(port, out var other) && other.Name != route.Name)
                {
                    yield return string.Create(CultureInfo.InvariantCulture, $"port {port} is claimed by both {other.Name} and {route.Name}");
                }
                else
                {
                    ports[port] = route;
                }
            }
        }
    }

    /// <summary>Null when <paramref name="host"/> is a DNS name (RFC 1123 labels, at most 253 characters).</summary>
    public static string? HostError(string host) =>
        host.Length <= 253 && DnsName().IsMatch(host) ? null : $"'{host}' is not a valid DNS host name";

    /// <summary>Null when <paramref name="prefix"/> is a path prefix like /api.</summary>
    public static string? PathPrefixError(string prefix) =>
        PathPrefix().IsMatch(prefix) ? null : $"path prefix '{prefix}' must start with '/' and hold only URL path characters";

    /// <summary>Null when <paramref name="port"/> is a TCP port.</summary>
    public static string? PortError(int port) =>
        port is >= 1 and <= 65535 ? null : string.Create(CultureInfo.InvariantCulture, $"port {port} is outside 1-65535");

    /// <summary>Null when <paramref name="ip"/> is an IPv4 or IPv6 address.</summary>
    public static string? HostIpError(string ip) =>
        IPAddress.TryParse(ip, out _) ? null : $"'{ip}' is not an IP address";

    private static IEnumerable<string> RouteErrors(ProxyRoute route, IReadOnlySet<int>? reservedPorts)
    {
        var name = route.Name;
        if (!Identifier().IsMatch(route.App) || !Identifier().IsMatch(route.Service) || !Identifier().IsMatch(route.Slot))
        {
            yield return $"route '{name}' (slot '{route.Slot}'): app, service and slot must be names like web-1";
        }

        if (!IPEndPoint.TryParse(route.Upstream, out var upstream) || upstream.Port == 0 || !route.Upstream.Contains(':', StringComparison.Ordinal))
        {
            yield return $"{name}: upstream '{route.Upstream}' is not an IP:PORT";
        }

        if (route.Hosts.Count == 0 && route.Listeners.Count == 0)
        {
            yield return $"{name} declares neither hosts nor listeners: nothing would reach it";
        }

        if (route.Tls)
        {
            yield return $"{name}: {TlsNotSupported}";
        }

        if (route.PathPrefix is { } prefix && PathPrefixError(prefix) is { } prefixError)
        {
            yield return $"{name}: {prefixError}";
        }

        foreach (var error in route.Hosts.Select(HostError).OfType<string>())
        {
            yield return $"{name}: {error}";
        }

        foreach (var listener in route.Listeners)
        {
            if (PortError(listener.Port) is { } portError)
            {
                yield return $"{name}: {portError}";
            }
            else if (reservedPorts?.Contains(listener.Port) == true)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"{name}: port {listener.Port} is reserved on this host");
            }

            if (HostIpError(listener.HostIp) is { } ipError)
            {
                yield return $"{name}: {ipError}";
            }
        }
    }

    [GeneratedRegex(@"^(?=.{1,253}\z)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\z")]
    private static partial Regex DnsName();

    [GeneratedRegex(@"^/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*\z")]
    private static partial Regex PathPrefix();

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,62}\\z")]
    private static partial Regex Identifier();
}
