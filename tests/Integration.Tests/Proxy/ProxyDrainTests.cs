using Fleet.Agent.Traffic;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Proxy;

/// <summary>What the agent relies on to drain a slot: requests in flight finish on it after a switch, and what is left can be closed.</summary>
public sealed class ProxyDrainTests : IAsyncDisposable
{
    private const string Host = "shop.example.com";
    private readonly TempDirectory _state = new("proxy-drain");
    private readonly SocketActivationLauncher _proxy;
    private readonly ProxyAdminClient _admin;

    public ProxyDrainTests()
    {
        _proxy = new SocketActivationLauncher(_state.Path);
        _admin = new ProxyAdminClient(Microsoft.Extensions.Options.Options.Create(new TrafficOptions { AdminSocket = _proxy.AdminSocket }));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri Url => new($"http://127.0.0.1:{_proxy.HttpPort}/");

    [Fact]
    public async Task Switch_SlowRequestStartedBefore_FinishesOnTheOldSlotWhileNewRequestsGoToTheNew()
    {
        await using var a = await TestUpstream.StartAsync("a", delay: TimeSpan.FromSeconds(3));
        await using var b = await TestUpstream.StartAsync("b");
        await _proxy.StartAsync(Ct);
        await _admin.PutRoutesAsync(ProxyProcessTests.Table(ProxyProcessTests.Route("web", a.Endpoint, hosts: [Host], slot: "a")), Ct);

        var slow = ProxyProcessTests.GetAsync(new Uri(Url, "/slow"), Host);
        await Eventually.UntilAsync(async () => await _admin.InFlightAsync("shop", "web", "a", Ct) == 1, TimeSpan.FromSeconds(10), "the slow request to be in flight");
        await _admin.PutRoutesAsync(ProxyProcessTests.Table(ProxyProcessTests.Route("web", b.Endpoint, hosts: [Host], slot: "b")), Ct);

        Assert.Equal("b", await ProxyProcessTests.GetAsync(Url, Host));
        Assert.Equal(1, await _admin.InFlightAsync("shop", "web", "a", Ct));
        Assert.False(slow.IsCompleted);
        Assert.Equal("a", await slow);
        Assert.Equal(0, await _admin.InFlightAsync("shop", "web", "a", Ct));
    }

    [Fact]
    public async Task Abort_LongRequestOnTheOldSlot_ClosedAndCounted()
    {
        await using var a = await TestUpstream.StartAsync("a", delay: TimeSpan.FromMinutes(5));
        await using var b = await TestUpstream.StartAsync("b");
        await _proxy.StartAsync(Ct);
        await _admin.PutRoutesAsync(ProxyProcessTests.Table(ProxyProcessTests.Route("web", a.Endpoint, hosts: [Host], slot: "a")), Ct);
        var stream = ProxyProcessTests.GetAsync(new Uri(Url, "/slow"), Host);
        await Eventually.UntilAsync(async () => await _admin.InFlightAsync("shop", "web", "a", Ct) == 1, TimeSpan.FromSeconds(10), "the long request to be in flight");
        await _admin.PutRoutesAsync(ProxyProcessTests.Table(ProxyProcessTests.Route("web", b.Endpoint, hosts: [Host], slot: "b")), Ct);

        Assert.Equal(1, await _admin.AbortAsync("shop", "web", "a", Ct));

        await Assert.ThrowsAsync<HttpRequestException>(() => stream);
        await Eventually.UntilAsync(async () => await _admin.InFlightAsync("shop", "web", "a", Ct) == 0, TimeSpan.FromSeconds(10), "the aborted request to end");
        Assert.Equal("b", await ProxyProcessTests.GetAsync(Url, Host));
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _proxy.DisposeAsync();
        _state.Dispose();
    }
}
