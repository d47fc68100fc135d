using Fleet.Core.Proxy;
using Fleet.Proxy.Routing;
using Microsoft.AspNetCore.Http;

namespace Fleet.Proxy.Tests.Routing;

public sealed class CompiledRoutesTests
{
    private static readonly ProxyRoute Site = Route("site", ["shop.example.com"]);
    private static readonly ProxyRoute Api = Route("api", ["shop.example.com"], "/api");
    private static readonly ProxyRoute Admin = Route("admin", [], listeners: [new ProxyListener { Port = 9000 }]);
    private static readonly CompiledRoutes Routes = new(new ProxyRouteTable { Routes = [Site, Api, Admin] });

    [Theory]
    [InlineData("shop.example.com", "/", "site")]
    [InlineData("SHOP.example.com", "/cart", "site")]
    [InlineData("shop.example.com", "/api", "api")]
    [InlineData("shop.example.com", "/api/orders", "api")]
    [InlineData("shop.example.com", "/apix", "site")]
    public void ForHost_LongestMatchingSegmentPrefixWins(string host, string path, string service)
    {
        Assert.Equal(service, Routes.ForHost(host, new PathString(path))?.Service);
    }

    [Fact]
    public void ForHost_UnknownHost_IsNull()
    {
        Assert.Null(Routes.ForHost("other.example.com", new PathString("/")));
    }

    [Fact]
    public void ForHost_OnlyAPrefixedRoute_OtherPathsAreNull()
    {
        var routes = new CompiledRoutes(new ProxyRouteTable { Routes = [Api] });

        Assert.Null(routes.ForHost("shop.example.com", new PathString("/")));
    }

    [Fact]
    public void ForPort_ServiceListener_IsItsRouteWhateverTheHost()
    {
        Assert.Equal("admin", Routes.ForPort(9000)?.Service);
        Assert.Null(Routes.ForPort(9001));
    }

    internal static ProxyRoute Route(string service, string[] hosts, string? prefix = null, ProxyListener[]? listeners = null, string app = "shop") => new()
    {
        App = app,
        Service = service,
        Slot = "a",
        Upstream = "127.0.0.1:20000",
        Hosts = hosts,
        PathPrefix = prefix,
        Listeners = listeners ?? [],
    };
}
