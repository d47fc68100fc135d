using System.Net;
using System.Net.Sockets;

namespace Fleet.Integration.Tests.Infrastructure;

internal static class LoopbackPort
{
    /// <summary>A port on 127.0.0.1 that was free a moment ago, for a process that cannot report the port it bound.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
