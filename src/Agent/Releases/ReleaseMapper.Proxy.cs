using Fleet.Agent.Deploy;
using Signed = Fleet.Core.Releases;

namespace Fleet.Agent.Releases;

internal static partial class ReleaseMapper
{
    private static ServiceProxy? ProxyOf(Signed.ServiceSpec service) =>
        service.Proxy is { } proxy
            ? new ServiceProxy(proxy.Hosts, proxy.PathPrefix, proxy.Tls, proxy.DrainTimeout, proxy.Listen)
            : null;
}
