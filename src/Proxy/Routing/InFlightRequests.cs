using System.Collections.Concurrent;
using Fleet.Core.Proxy;

namespace Fleet.Proxy.Routing;

/// <summary>
/// The requests forwarded to each slot right now. The agent reads the count to know when the old
/// slot has drained, and aborts what is left (long-lived streams) when its drain time runs out.
/// </summary>
internal sealed class InFlightRequests
{
    private readonly ConcurrentDictionary<(string App, string Service, string Slot), ConcurrentDictionary<HttpContext, byte>> _slots = new();

    /// <summary>Counts the request until the returned scope is disposed.</summary>
    public Scope Begin(ProxyRoute route, HttpContext context)
    {
        var requests = _slots.GetOrAdd((route.App, route.Service, route.Slot), _ => new());
        requests.TryAdd(context, 0);
        return new Scope(requests, context);
    }

    public int Count(string app, string service, string slot) =>
        _slots.TryGetValue((app, service, slot), out var requests) ? requests.Count : 0;

    /// <summary>Closes the connections of every request still in flight to the slot; returns how many.</summary>
    public int Abort(string app, string service, string slot)
    {
        if (!_slots.TryGetValue((app, service, slot), out var requests))
        {
            return 0;
        }

        var aborted = 0;
        foreach (var context in requests.Keys)
        {
            context.Abort();
            aborted++;
        }

        return aborted;
    }

    internal readonly struct Scope(ConcurrentDictionary<HttpContext, byte> requests, HttpContext context) : IDisposable
    {
        public void Dispose() => requests.TryRemove(context, out _);
    }
}
