using System.Net;
using Fleet.Agent.Traffic;
using Fleet.Core.Proxy;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Proxy;

/// <summary>The real fleet-proxy process, started on sockets held as systemd holds them, driven through its admin socket.</summary>
public sealed class ProxyProcessTests : IAsyncDisposable
{
    private const string Host = "shop.example.com";
    private readonly TempDirectory _state = new("fleet-proxy-");
    private readonly SocketActivationLauncher _proxy;
    private readonly ProxyAdminClient _admin;

    public ProxyProcessTests()
    {
        _proxy = new SocketActivationLauncher(_state.Path);
        _admin = new ProxyAdminClient(Microsoft.Extensions.Options.Options.Create(new TrafficOptions { AdminSocket = _proxy.AdminSocket }));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri Url => new($"http://127.0.0.1:{_proxy.HttpPort}/");

    [Fact]
    public async Task Restart_UnderLoad_NoRequestFailsAndRoutesAreKept()
    {
        await using var upstream = await TestUpstream.StartAsync("v1");
        await _proxy.StartAsync(Ct);
        await _admin.PutRoutesAsync(Table(Route("web", upstream.Endpoint, hosts: [Host])), Ct);
        await using var load = new LoadGenerator(Url, Host, clients: 8, body => body == "v1");

        for (var i = 0; i < 3; i++)
        {
            await AnswersAfterAsync(load, LoadGenerator.Now);
            await _proxy.RestartAsync(Ct);
        }

        await AnswersAfterAsync(load, LoadGenerator.Now);
        await load.StopAsync();

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} of {load.Responses.Count + load.Failures.Count} requests failed: {string.Join(" | ", load.Failures.Take(5))}");
        Assert.Equal(4, _proxy.Starts);
        Assert.Equal("web", Assert.Single((await _admin.GetRoutesAsync(Ct)).Routes).Service);
    }

    [Fact]
    public async Task Start_WithRouteFileFromEarlierRun_ServesAtOnceWithoutAgent()
    {
        await using var upstream = await TestUpstream.StartAsync("kept");
        await _proxy.StartAsync(Ct);
        await _admin.PutRoutesAsync(Table(Route("web", upstream.Endpoint, hosts: [Host])), Ct);
        await _proxy.StopAsync();

        await _proxy.StartAsync(Ct);

        Assert.Equal("kept", await GetAsync(Url, Host));
        Assert.True(File.Exists(Path.Combine(_state.Path, "routes.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_state.Path, "routes.json")));
    }

    [Fact]
    public async Task PutRoutes_ServicePortAndPrefix_RoutedByListenerThenLongestPrefix()
    {
        await using var site = await TestUpstream.StartAsync("site");
        await using var api = await TestUpstream.StartAsync("api");
        var port = SocketActivationLauncher.FreePort();
        await _proxy.StartAsync(Ct);

        await _admin.PutRoutesAsync(Table(
            Route("site", site.Endpoint, hosts: [Host]),
            Route("api", api.Endpoint, hosts: [Host], prefix: "/api", listeners: [new ProxyListener { HostIp = "127.0.0.1", Port = port }])), Ct);

        Assert.Equal("site", await GetAsync(Url, Host));
        Assert.Equal("api", await GetAsync(new Uri(Url, "/api/orders"), Host));
        Assert.Equal("site", await GetAsync(new Uri(Url, "/apix"), Host));
        Assert.Equal("api", await GetAsync(new Uri($"http://127.0.0.1:{port}/anything"), "other.example.com"));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Url) { Headers = { Host = "unknown.example.com" } };
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task PutRoutes_InvalidTables_RefusedWithReasonAndLastGoodTableServes()
    {
        await using var upstream = await TestUpstream.StartAsync("good");
        await _proxy.StartAsync(Ct);
        var good = Table(Route("web", upstream.Endpoint, hosts: [Host]));
        await _admin.PutRoutesAsync(good, Ct);
        var port = SocketActivationLauncher.FreePort();

        var cases = new (ProxyRouteTable Table, string Expected)[]
        {
            (Table(Route("web", upstream.Endpoint, hosts: [Host]), Route("web", upstream.Endpoint, hosts: [Host], app: "blog")), "host shop.example.com is claimed by both shop/web and blog/web"),
            (Table(Route("web", upstream.Endpoint, listeners: [new ProxyListener { Port = port }]), Route("db", upstream.Endpoint, listeners: [new ProxyListener { Port = port }], app: "blog")), $"port {port} is claimed by both shop/web and blog/db"),
            (Table(Route("web", upstream.Endpoint, hosts: ["shop_example.com"])), "'shop_example.com' is not a valid DNS host name"),
            (Table(Route("web", upstream.Endpoint, hosts: [Host], prefix: "api")), "path prefix 'api' must start with '/'"),
            (Table(Route("web", upstream.Endpoint, listeners: [new ProxyListener { Port = 70000 }])), "port 70000 is outside 1-65535"),
            (Table(Route("web", upstream.Endpoint, listeners: [new ProxyListener { Port = _proxy.MetricsPort }])), $"port {_proxy.MetricsPort} is reserved on this host"),
        };

        foreach (var (table, expected) in cases)
        {
            var refused = await Assert.ThrowsAsync<ProxyRefusedException>(() => _admin.PutRoutesAsync(table, Ct));
            Assert.Contains(refused.Errors, e => e.Contains(expected, StringComparison.Ordinal));
        }

        Assert.Equal(good, await _admin.GetRoutesAsync(Ct), TableComparer.Instance);
        Assert.Equal("good", await GetAsync(Url, Host));
        await _proxy.RestartAsync(Ct);
        Assert.Equal("good", await GetAsync(Url, Host));
    }

    [Fact]
    public async Task Metrics_AfterRequests_CountedPerRouteAndSlot()
    {
        await using var upstream = await TestUpstream.StartAsync("m");
        await _proxy.StartAsync(Ct);
        await _admin.PutRoutesAsync(Table(Route("web", upstream.Endpoint, hosts: [Host])), Ct);
        for (var i = 0; i < 3; i++)
        {
            await GetAsync(Url, Host);
        }

        using var http = new HttpClient();
        var metrics = await Eventually.ReturnsAsync(
            () => http.GetStringAsync(new Uri($"http://127.0.0.1:{_proxy.MetricsPort}/metrics"), Ct),
            text => text.Contains("fleet_proxy_requests_total{", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            "the proxy's metrics to show the requests");

        Assert.Contains("app=\"shop\",service=\"web\",slot=\"a\",status_class=\"2xx\"} 3", metrics, StringComparison.Ordinal);
        Assert.Contains("fleet_proxy_request_duration_seconds_count{otel_scope_name=\"Fleet.Proxy\",app=\"shop\",service=\"web\",slot=\"a\"} 3", metrics, StringComparison.Ordinal);
        Assert.Contains("fleet_proxy_requests_in_flight", metrics, StringComparison.Ordinal);
    }

    // Load reached each proxy process: a few answers to requests sent after the moment given.
    private static Task AnswersAfterAsync(LoadGenerator load, long since) =>
        Eventually.UntilAsync(
            () => Task.FromResult(load.Responses.Count(r => r.StartedTicks > since) >= 20),
            TimeSpan.FromSeconds(30),
            "20 answers through the proxy");

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _proxy.DisposeAsync();
        _state.Dispose();
    }

    internal static ProxyRouteTable Table(params ProxyRoute[] routes) => new() { Routes = routes };

    internal static ProxyRoute Route(
        string service, string upstream, string[]? hosts = null, string? prefix = null, ProxyListener[]? listeners = null, string app = "shop", string slot = "a") => new()
    {
        App = app,
        Service = service,
        Slot = slot,
        Upstream = upstream,
        Hosts = hosts ?? [],
        PathPrefix = prefix,
        Listeners = listeners ?? [],
    };

    internal static async Task<string> GetAsync(Uri url, string host)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Host = host;
        using var response = await http.SendAsync(request, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(Ct)).Trim();
    }

    private sealed class TableComparer : IEqualityComparer<ProxyRouteTable>
    {
        public static readonly TableComparer Instance = new();

        public bool Equals(ProxyRouteTable? x, ProxyRouteTable? y) =>
            x is not null && y is not null && x.Routes.Count == y.Routes.Count
            && x.Routes.Zip(y.Routes).All(p => p.First.Name == p.Second.Name && p.First.Upstream == p.Second.Upstream && p.First.Hosts.SequenceEqual(p.Second.Hosts));

        public int GetHashCode(ProxyRouteTable obj) => obj.Routes.Count;
    }
}
