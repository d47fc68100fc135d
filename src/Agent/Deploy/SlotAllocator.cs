using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Deploy;

/// <summary>A slot ("a" or "b") with its own port from the configured range.</summary>
internal sealed record SlotAssignment(string Slot, int Port)
{
    public string Endpoint => FormattableString.Invariant($"127.0.0.1:{Port}");
}

/// <summary>Blue/green slots: a new release goes to the slot the current one does not use, on a free port.</summary>
internal sealed class SlotAllocator(IOptions<DeployOptions> options)
{
    public const string SlotA = "a";
    public const string SlotB = "b";

    public static string Next(string? currentSlot) => currentSlot == SlotA ? SlotB : SlotA;

    /// <summary>Picks the other slot and the lowest port in range that no journal record holds and the probe says is free.</summary>
    public SlotAssignment Allocate(string? currentSlot, IReadOnlySet<int> reserved, Func<int, bool> isPortFree)
    {
        var o = options.Value;
        for (var port = o.PortRangeStart; port <= o.PortRangeEnd; port++)
        {
            if (!reserved.Contains(port) && isPortFree(port))
            {
                return new SlotAssignment(Next(currentSlot), port);
            }
        }

        throw new InvalidOperationException(
            $"no free port left in Deploy port range {o.PortRangeStart}-{o.PortRangeEnd}");
    }

    /// <summary>True when nothing listens on 127.0.0.1:port (something outside Fleet may hold it).</summary>
    public static bool IsLoopbackPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
