using Fleet.Agent.Deploy;
using Fleet.Core.Proxy;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Traffic;

/// <summary>
/// Moves a service's traffic between its slots through fleet-proxy. The route table the proxy gets
/// is always the journal's applied slots with one service changed, sent whole: the switch is one
/// atomic change, and a table the proxy refuses changes nothing. Without a proxy configured
/// (Proxy:AdminSocket empty) nothing is sent and the old slot simply gets Deploy:DrainDelay.
/// </summary>
internal sealed partial class TrafficSwitch(
    IOptions<TrafficOptions> options,
    IOptions<DeployOptions> deploy,
    DeployJournal journal,
    TimeProvider time,
    ILogger<TrafficSwitch> logger) : IDisposable
{
    private readonly Lazy<ProxyAdminClient> _client = new(() => new ProxyAdminClient(options));

    public bool Enabled => options.Value.Enabled;

    /// <summary>Null when the service may take its host names and ports on this host; else why not, naming both claimants.</summary>
    public string? Conflict(string app, ServiceSpec spec)
    {
        if (!Enabled || spec.Proxy is null)
        {
            return null;
        }

        var route = RouteOf(app, spec, SlotAllocator.SlotA, "127.0.0.1:1");
        var errors = ProxyRouteValidator.Validate(TableWith(route.App, route.Service, route), options.Value.ReservedPorts.ToHashSet())
            .Where(e => e.Contains(route.Name, StringComparison.Ordinal))
            .ToList();
        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    /// <summary>Sends new requests of the service to <paramref name="record"/>'s slot (or drops its route when it has no proxy block).</summary>
    public async Task SwitchAsync(string app, SlotRecord record, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        var route = record.Spec.Proxy is null ? null : RouteOf(app, record.Spec, record.Slot, record.Endpoint);
        await _client.Value.PutRoutesAsync(TableWith(app, record.Spec.Name, route), cancellationToken);
        Log.Switched(logger, app, record.Spec.Name, record.Release, record.Slot, record.Endpoint);
    }

    /// <summary>Drops the service's route (its release was withdrawn).</summary>
    public async Task RemoveAsync(string app, string service, CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            await _client.Value.PutRoutesAsync(TableWith(app, service, null), cancellationToken);
        }
    }

    /// <summary>Makes the proxy's table the journal's (after the agent starts and reconciles); a proxy that is down is logged, not fatal.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        var table = TableWith("", "", null);
        try
        {
            await _client.Value.PutRoutesAsync(table, cancellationToken);
            Log.Synced(logger, table.Routes.Count);
        }
        catch (Exception ex) when (ex is HttpRequestException or ProxyRefusedException or System.Net.Sockets.SocketException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The proxy keeps serving the table it has; the next switch sends the whole table again.
            Log.SyncFailed(logger, ex);
        }
    }

    /// <summary>
    /// Waits until the old slot has no request in flight (at most its drain timeout), then closes
    /// what is left (WebSockets, streams). A slot the proxy never served gets Deploy:DrainDelay.
    /// </summary>
    public async Task DrainAsync(string app, SlotRecord old, CancellationToken cancellationToken)
    {
        if (!Enabled || old.Spec.Proxy is not { } proxy)
        {
            await Task.Delay(deploy.Value.DrainDelay, time, cancellationToken);
            return;
        }

        var service = old.Spec.Name;
        var deadline = time.GetUtcNow() + proxy.DrainTimeout;
        int inFlight;
        do
        {
            // A request that read the table just before the switch is counted a moment later.
            await Task.Delay(options.Value.DrainPollInterval, time, cancellationToken);
            inFlight = await _client.Value.InFlightAsync(app, service, old.Slot, cancellationToken);
        }
        while (inFlight > 0 && time.GetUtcNow() < deadline);

        if (inFlight > 0)
        {
            var aborted = await _client.Value.AbortAsync(app, service, old.Slot, cancellationToken);
            Log.DrainTimedOut(logger, app, service, old.Slot, proxy.DrainTimeout, aborted);
        }
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private ProxyRouteTable TableWith(string app, string service, ProxyRoute? route)
    {
        var routes = journal.All()
            .Where(e => e.Applied?.Spec.Proxy is not null && !(e.App == app && e.Service == service))
            .Select(e => RouteOf(e.App, e.Applied!.Spec, e.Applied.Slot, e.Applied.Endpoint))
            .Append(route)
            .OfType<ProxyRoute>()
            .OrderBy(r => r.Name, StringComparer.Ordinal);
        return new ProxyRouteTable { Routes = [.. routes] };
    }

    private static ProxyRoute RouteOf(string app, ServiceSpec spec, string slot, string endpoint) => new()
    {
        App = app,
        Service = spec.Name,
        Slot = slot,
        Upstream = endpoint,
        Hosts = spec.Proxy!.Hosts,
        PathPrefix = spec.Proxy.PathPrefix,
        Tls = spec.Proxy.Tls,
        Listeners = spec.Proxy.Listeners,
    };
}
