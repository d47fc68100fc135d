using System.Net;
using System.Net.Sockets;

namespace Fleet.Integration.Tests.Infrastructure;

internal static class LoopbackPort
{
    // Below Linux's ephemeral range (32768-60999): a port the kernel hands to another test's
    // listener on port 0, or to an outgoing connection, between this check and the bind would
    // make the bind fail (seen: a controller's metrics listener, "address already in use").
    private const int Low = 21000;
    private const int High = 32000;

    /// <summary>A port on 127.0.0.1 that was free a moment ago, for a process that cannot report the port it bound.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(Low, High);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }
}
