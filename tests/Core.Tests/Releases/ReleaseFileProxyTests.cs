using Fleet.Core.Proxy;
using Fleet.Core.Releases;

namespace Fleet.Core.Tests.Releases;

public sealed class ReleaseFileProxyTests
{
    [Fact]
    public void Parse_ProxyBlock_ReadWithDefaultsAndKeptInTheSignedManifest()
    {
        var release = ReleaseFile.Parse("""
            app: shop
            services:
              web:
                image: 127.0.0.1:5000/shop/web:1.0
                proxy:
                  hosts: [shop.example.com]
                  path_prefix: /api
                  port: 8080
                  drain_timeout: 45s
                  listen: ["9000", "127.0.0.1:9001", "[::1]:9002"]
              worker:
                image: 127.0.0.1:5000/shop/worker:1.0
                proxy:
                  hosts: [worker.example.com]
            """);

        var web = release.Services[0].Proxy!;
        Assert.Equal(["shop.example.com"], web.Hosts);
        Assert.Equal("/api", web.PathPrefix);
        Assert.Equal(8080, web.Port);
        Assert.Equal(TimeSpan.FromSeconds(45), web.DrainTimeout);
        Assert.Equal(
            [new ProxyListener { Port = 9000 }, new ProxyListener { HostIp = "127.0.0.1", Port = 9001 }, new ProxyListener { HostIp = "::1", Port = 9002 }],
            web.Listen);
        var worker = release.Services[1].Proxy!;
        Assert.Equal(TimeSpan.FromSeconds(30), worker.DrainTimeout);
        Assert.Null(worker.PathPrefix);
        Assert.False(worker.Tls);

        var manifest = ReleaseManifest.Create(release, "staging", 1, DateTimeOffset.UnixEpoch, TimeSpan.FromDays(1));
        var parsed = ReleaseManifest.Parse(manifest.ToCanonicalJson());
        Assert.Equal(web.Listen, parsed.Release.Services[0].Proxy!.Listen);
        Assert.Equal(web.Hosts, parsed.Release.Services[0].Proxy!.Hosts);
        Assert.Equal(manifest.ToCanonicalJson(), parsed.ToCanonicalJson());
    }

    [Fact]
    public void Parse_NoProxy_NullSoTheManifestIsUnchanged()
    {
        var release = ReleaseFile.Parse("""
            app: shop
            services:
              web:
                image: 127.0.0.1:5000/shop/web:1.0
            """);

        Assert.Null(release.Services[0].Proxy);
        var json = System.Text.Encoding.UTF8.GetString(ReleaseManifest.Create(release, "staging", 1, DateTimeOffset.UnixEpoch, TimeSpan.FromDays(1)).ToCanonicalJson());
        Assert.DoesNotContain("proxy", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyMistakes_EachNamesItsField()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse("""
            app: shop
            services:
              web:
                image: 127.0.0.1:5000/shop/web:1.0
                proxy:
                  hosts: [shop_example.com]
                  path_prefix: api
                  port: 70000
                  tls: true
                  drain_timeout: 2h
                  listen: ["0", "localhost:80"]
              empty:
                image: 127.0.0.1:5000/shop/web:1.0
                proxy: {}
            """));

        var errors = ex.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => string.Join("; ", g.Select(e => e.Message)));
        Assert.Contains("not a valid DNS host name", errors["services.web.proxy.hosts[0]"], StringComparison.Ordinal);
        Assert.Contains("must start with '/'", errors["services.web.proxy.path_prefix"], StringComparison.Ordinal);
        Assert.True(errors.ContainsKey("services.web.proxy.port"));
        Assert.Contains("not supported", errors["services.web.proxy.tls"], StringComparison.Ordinal);
        Assert.True(errors.ContainsKey("services.web.proxy.drain_timeout"));
        Assert.Contains("outside 1-65535", errors["services.web.proxy.listen[0]"], StringComparison.Ordinal);
        Assert.Contains("is not a listener like", errors["services.web.proxy.listen[1]"], StringComparison.Ordinal);
        Assert.Contains("nothing would reach", errors["services.empty.proxy"], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HostAndPortClaimedByTwoServices_RefusedNamingBoth()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse("""
            app: shop
            services:
              web:
                image: 127.0.0.1:5000/shop/web:1.0
                proxy: {hosts: [shop.example.com], listen: ["9000"]}
              api:
                image: 127.0.0.1:5000/shop/api:1.0
                proxy: {hosts: [SHOP.example.com], listen: ["127.0.0.1:9000"]}
              admin:
                image: 127.0.0.1:5000/shop/admin:1.0
                proxy: {hosts: [shop.example.com], path_prefix: /admin}
            """));

        Assert.Equal(
            ["host SHOP.example.com is claimed by both shop/web and shop/api", "port 9000 is claimed by both shop/web and shop/api"],
            ex.Errors.Select(e => e.Message));
    }
}
