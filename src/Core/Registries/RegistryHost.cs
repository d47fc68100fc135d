using System.Net;

namespace Fleet.Core.Registries;

/// <summary>Registry host names as image references, docker config files and URLs spell them.</summary>
public static class RegistryHost
{
    /// <summary>Docker Hub's name in image references.</summary>
    public const string DockerHub = "docker.io";

    private static readonly string[] DockerHubAliases = ["docker.io", "index.docker.io", "registry-1.docker.io"];

    /// <summary>
    /// <c>host[:port]</c> in lower case from a registry name or URL (<c>https://index.docker.io/v1/</c>,
    /// <c>ghcr.io</c>, <c>http://127.0.0.1:5000</c>); every name of Docker Hub becomes <c>docker.io</c>.
    /// </summary>
    public static string Normalize(string server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var host = server.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        host = (slash >= 0 ? host[..slash] : host).ToLowerInvariant();
        return DockerHubAliases.Contains(host, StringComparer.Ordinal) ? DockerHub : host;
    }

    /// <summary>
    /// Where the registry's API is: Docker Hub at registry-1.docker.io; a registry on a loopback
    /// address over http, every other over https.
    /// </summary>
    public static Uri BaseUri(string registry)
    {
        var host = Normalize(registry) == DockerHub ? "registry-1.docker.io" : registry;
        return new Uri($"{(IsLoopback(host) ? "http" : "https")}://{host}/");
    }

    /// <summary>True for localhost and loopback addresses, with or without a port.</summary>
    public static bool IsLoopback(string host)
    {
        var hostName = host.StartsWith('[') ? host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)] : host.Split(':')[0];
        return hostName == "localhost" || (IPAddress.TryParse(hostName.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
