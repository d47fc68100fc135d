using Fleet.Core.Proxy;

namespace Fleet.Proxy.Tests.Routing;

public sealed class ProxyRouteValidatorTests
{
    [Fact]
    public void Validate_GoodTable_NoErrors()
    {
        var table = new ProxyRouteTable
        {
            Routes =
            [
                CompiledRoutesTests.Route("web", ["shop.example.com"]),
                CompiledRoutesTests.Route("api", ["shop.example.com"], "/api", [new ProxyListener { HostIp = "127.0.0.1", Port = 8081 }]),
            ],
        };

        Assert.Empty(ProxyRouteValidator.Validate(table));
    }

    [Fact]
    public void Validate_SameHostAndPrefixInTwoApps_NamesBoth()
    {
        var table = new ProxyRouteTable
        {
            Routes = [CompiledRoutesTests.Route("web", ["shop.example.com"]), CompiledRoutesTests.Route("web", ["Shop.Example.com"], app: "blog")],
        };

        var error = Assert.Single(ProxyRouteValidator.Validate(table));
        Assert.Contains("shop/web", error, StringComparison.Ordinal);
        Assert.Contains("blog/web", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SamePortInTwoApps_NamesBoth()
    {
        var table = new ProxyRouteTable
        {
            Routes =
            [
                CompiledRoutesTests.Route("web", [], listeners: [new ProxyListener { Port = 9000 }]),
                CompiledRoutesTests.Route("db", [], listeners: [new ProxyListener { HostIp = "127.0.0.1", Port = 9000 }], app: "blog"),
            ],
        };

        Assert.Equal("port 9000 is claimed by both shop/web and blog/db", Assert.Single(ProxyRouteValidator.Validate(table)));
    }

    [Theory]
    [InlineData("bad_host", null, 80, "'bad_host' is not a valid DNS host name")]
    [InlineData("-shop.example.com", null, 80, "'-shop.example.com' is not a valid DNS host name")]
    [InlineData("shop.example.com", "api", 80, "path prefix 'api' must start with '/'")]
    [InlineData("shop.example.com", "/a b", 80, "path prefix '/a b' must start with '/'")]
    [InlineData("shop.example.com", null, 0, "port 0 is outside 1-65535")]
    [InlineData("shop.example.com", null, 65536, "port 65536 is outside 1-65535")]
    public void Validate_BadField_SaysWhich(string host, string? prefix, int port, string expected)
    {
        var table = new ProxyRouteTable
        {
            Routes = [CompiledRoutesTests.Route("web", [host], prefix, [new ProxyListener { Port = port }])],
        };

        Assert.Contains(ProxyRouteValidator.Validate(table), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReservedPort_Refused()
    {
        var table = new ProxyRouteTable { Routes = [CompiledRoutesTests.Route("web", [], listeners: [new ProxyListener { Port = 80 }])] };

        Assert.Equal("shop/web: port 80 is reserved on this host", Assert.Single(ProxyRouteValidator.Validate(table, new HashSet<int> { 80 })));
    }

    [Fact]
    public void Validate_RouteReachedByNothing_Refused()
    {
        var table = new ProxyRouteTable { Routes = [CompiledRoutesTests.Route("web", [])] };

        Assert.Contains("neither hosts nor listeners", Assert.Single(ProxyRouteValidator.Validate(table)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:80")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    public void Validate_BadUpstream_Refused(string upstream)
    {
        var table = new ProxyRouteTable { Routes = [CompiledRoutesTests.Route("web", ["shop.example.com"]) with { Upstream = upstream }] };

        Assert.Contains($"upstream '{upstream}' is not an IP:PORT", Assert.Single(ProxyRouteValidator.Validate(table)), StringComparison.Ordinal);
    }
}
