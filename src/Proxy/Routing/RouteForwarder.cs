using System.Diagnostics;
using System.Net;
using Fleet.Core.Proxy;
using Fleet.Proxy.Hosting;
using Fleet.Proxy.Telemetry;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Fleet.Proxy.Routing;

/// <summary>
/// Sends each public request to the slot its route names, with YARP's forwarder (HTTP/1.1,
/// HTTP/2, WebSockets and other upgrades pass through). The route is looked up in the table that is
/// current when the request arrives: a switch sends new requests to the new slot while the ones
/// already forwarded finish on the old one.
/// </summary>
internal sealed partial class RouteForwarder : IDisposable
{
    private readonly RouteTableStore _routes;
    private readonly IHttpForwarder _forwarder;
    private readonly InFlightRequests _inFlight;
    private readonly ProxyMetrics _metrics;
    private readonly ILogger<RouteForwarder> _logger;
    private readonly HttpMessageInvoker _client;
    private readonly ForwarderRequestConfig _requestConfig = new() { ActivityTimeout = TimeSpan.FromMinutes(10) };

    public RouteForwarder(
        RouteTableStore routes, IHttpForwarder forwarder, InFlightRequests inFlight, ProxyMetrics metrics,
        IOptions<ProxyOptions> options, ILogger<RouteForwarder> logger)
    {
        _routes = routes;
        _forwarder = forwarder;
        _inFlight = inFlight;
        _metrics = metrics;
        _logger = logger;
        _client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.Value.UpstreamConnectTimeout,
            // A slot stops after a switch: its idle connections must not outlive it by much.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15),
            ActivityHeadersPropagator = null,
        });
    }

    public async Task ForwardAsync(HttpContext context)
    {
        var routes = _routes.Current;
        var route = routes.ForPort(context.Connection.LocalPort)
            ?? routes.ForHost(context.Request.Host.Host, context.Request.Path);
        if (route is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("fleet-proxy: no route for this host and path\n", context.RequestAborted);
            return;
        }

        await SendAsync(context, route);
    }

    private async Task SendAsync(HttpContext context, ProxyRoute route)
    {
        var started = Stopwatch.GetTimestamp();
        _metrics.Started(route);
        using (_inFlight.Begin(route, context))
        {
            try
            {
                var error = await _forwarder.SendAsync(context, $"http://{route.Upstream}/", _client, _requestConfig, HttpTransformer.Default);
                if (error != ForwarderError.None && error != ForwarderError.RequestCanceled)
                {
                    Log.ForwardFailed(_logger, route.Name, route.Slot, route.Upstream, error, context.Features.Get<IForwarderErrorFeature>()?.Exception);
                }
            }
            finally
            {
                _metrics.Finished(route, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
            }
        }
    }

    public void Dispose() => _client.Dispose();

    private static partial class Log
    {
        [LoggerMessage(110, LogLevel.Warning, "Forwarding to {Route} slot {Slot} at {Upstream} failed: {Error}")]
        public static partial void ForwardFailed(ILogger logger, string route, string slot, string upstream, ForwarderError error, Exception? exception);
    }
}
