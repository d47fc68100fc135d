using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Fleet.Core.Files;
using Fleet.Core.Proxy;
using Fleet.Proxy.Hosting;
using Fleet.Proxy.Listeners;
using Microsoft.Extensions.Options;

namespace Fleet.Proxy.Routing;

/// <summary>
/// The route table: loaded from disk at start (so the proxy serves at once, without the agent),
/// replaced as a whole after validation, written atomically (temporary file, fsync, rename) before
/// it takes effect in memory. A refused table changes nothing.
/// </summary>
internal sealed partial class RouteTableStore
{
    private readonly ProxyOptions _options;
    private readonly ServiceListenerConfiguration _listeners;
    private readonly ILogger<RouteTableStore> _logger;
    private readonly Lock _writer = new();
    private volatile CompiledRoutes _current;

    public RouteTableStore(IOptions<ProxyOptions> options, ServiceListenerConfiguration listeners, ILogger<RouteTableStore> logger)
    {
        _options = options.Value;
        _listeners = listeners;
        _logger = logger;
        _current = new CompiledRoutes(Load(_options.RoutesPath));
        _listeners.Set(_current.Listeners);
        Log.Loaded(logger, _current.Table.Routes.Count, _options.RoutesPath);
    }

    public CompiledRoutes Current => _current;

    /// <summary>Reads a route file; a missing file is an empty table.</summary>
    public static ProxyRouteTable Load(string path)
    {
        if (!File.Exists(path))
        {
            return ProxyRouteTable.Empty;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ProxyJsonContext.Default.ProxyRouteTable) ?? ProxyRouteTable.Empty;
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"the route table {path} is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Replaces the table, or returns why not (and keeps the last good one).</summary>
    public IReadOnlyList<string> Replace(ProxyRouteTable table)
    {
        lock (_writer)
        {
            var errors = ProxyRouteValidator.Validate(table, OwnPorts());
            if (errors.Count == 0)
            {
                errors = [.. UnbindablePorts(table)];
            }

            if (errors.Count > 0)
            {
                Log.Refused(_logger, string.Join("; ", errors));
                return errors;
            }

            SecureFile.WriteAtomic(_options.RoutesPath, JsonSerializer.Serialize(table, ProxyJsonContext.Default.ProxyRouteTable), SecureFile.OwnerOnly);
            _current = new CompiledRoutes(table);
            _listeners.Set(_current.Listeners);
            Log.Replaced(_logger, table.Routes.Count, string.Join(", ", table.Routes.Select(r => $"{r.Name}@{r.Slot}={r.Upstream}")));
            return [];
        }
    }

    private HashSet<int> OwnPorts() =>
        [.. new[] { _options.Http, _options.Metrics }.Select(ProxyOptions.Endpoint).OfType<IPEndPoint>().Select(e => e.Port)];

    // A new listener port that another process holds would fail to bind after the table took
    // effect; refuse it up front instead.
    private IEnumerable<string> UnbindablePorts(ProxyRouteTable table)
    {
        var bound = _current.Listeners.Select(l => l.Port).ToHashSet();
        foreach (var (listener, route) in table.Routes.SelectMany(r => r.Listeners.Select(l => (l, r))).Where(x => !bound.Contains(x.l.Port)))
        {
            if (!IPAddress.TryParse(listener.HostIp, out var ip))
            {
                continue;
            }

            string? error = null;
            try
            {
                using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(ip, listener.Port));
            }
            catch (SocketException ex)
            {
                error = $"{route.Name}: cannot listen on {listener}: {ex.Message}";
            }

            if (error is not null)
            {
                yield return error;
            }
        }
    }
}
