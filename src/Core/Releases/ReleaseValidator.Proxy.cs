using Fleet.Core.Proxy;

namespace Fleet.Core.Releases;

/// <summary>
/// Rules for services' <c>proxy:</c> blocks: the proxy's own rules (<see cref="ProxyRouteValidator"/>)
/// per field, and no host name or port claimed by two services of the release. The agent refuses
/// the same claims across apps.
/// </summary>
public static partial class ReleaseValidator
{
    private static void ValidateProxies(List<ValidationError> errors, ReleaseDefinition release)
    {
        foreach (var service in release.Services.Where(s => s.Proxy is not null))
        {
            var path = $"services.{service.Name}.proxy";
            var proxy = service.Proxy!;
            Check(errors, path, proxy.Hosts.Count > 0 || proxy.Listen.Count > 0, "set hosts, listen or both: nothing would reach the service");
            for (var i = 0; i < proxy.Hosts.Count; i++)
            {
                CheckMessage(errors, $"{path}.hosts[{i}]", ProxyRouteValidator.HostError(proxy.Hosts[i]));
            }

            if (proxy.PathPrefix is { } prefix)
            {
                CheckMessage(errors, path + ".path_prefix", ProxyRouteValidator.PathPrefixError(prefix));
            }

            if (proxy.Port is { } port)
            {
                CheckPort(errors, path + ".port", port);
            }

            for (var i = 0; i < proxy.Listen.Count; i++)
            {
                CheckMessage(errors, $"{path}.listen[{i}]", ProxyRouteValidator.PortError(proxy.Listen[i].Port));
                CheckMessage(errors, $"{path}.listen[{i}]", ProxyRouteValidator.HostIpError(proxy.Listen[i].HostIp));
            }

            Check(errors, path + ".tls", !proxy.Tls, ProxyRouteValidator.TlsNotSupported);
            CheckRange(errors, path + ".drain_timeout", proxy.DrainTimeout, TimeSpan.Zero, TimeSpan.FromHours(1));
        }

        var routes = release.Services.Where(s => s.Proxy is not null).Select(s => RouteOf(release.App, s)).ToList();
        foreach (var conflict in ProxyRouteValidator.Conflicts(routes))
        {
            errors.Add(new ValidationError("services", conflict));
        }
    }

    /// <summary>The route a service of a release would get (its slot and upstream are the agent's to choose).</summary>
    public static ProxyRoute RouteOf(string app, ServiceSpec service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var proxy = service.Proxy ?? new ProxySpec();
        return new ProxyRoute
        {
            App = app,
            Service = service.Name,
            Slot = "-",
            Upstream = "-",
            Hosts = proxy.Hosts,
            PathPrefix = proxy.PathPrefix,
            Tls = proxy.Tls,
            Listeners = proxy.Listen,
        };
    }

    private static void CheckMessage(List<ValidationError> errors, string path, string? message)
    {
        if (message is not null)
        {
            errors.Add(new ValidationError(path, message));
        }
    }
}
