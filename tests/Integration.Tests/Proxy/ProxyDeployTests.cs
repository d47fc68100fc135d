using Fleet.Agent.Deploy;
using Fleet.Integration.Tests.Deploy;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Proxy;

/// <summary>
/// The swap engine over real Docker switching a real fleet-proxy between slots while clients
/// keep sending requests through the proxy's one address.
/// </summary>
public sealed class ProxyDeployTests : IAsyncDisposable
{
    private const string Host = "app.example.com";
    private readonly TempDirectory _state = new("proxy-deploy");
    private readonly SocketActivationLauncher _proxy;
    private readonly DeployHarness _deploy;

    public ProxyDeployTests()
    {
        _proxy = new SocketActivationLauncher(_state.Path);
        _deploy = new DeployHarness(proxyAdminSocket: _proxy.AdminSocket);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string V1 => DeployHarness.Image("FLEET_TEST_IMAGE_GOOD");

    private static string V2 => DeployHarness.Image("FLEET_TEST_IMAGE_GOOD_V2");

    private Uri Url => new($"http://127.0.0.1:{_proxy.HttpPort}/version");

    [Fact]
    public async Task ApplyAsync_TwentyDeploysUnderLoad_NoRequestFailsAndEachSwitchServesTheNewVersion()
    {
        await _proxy.StartAsync(Ct);
        await ApplyAsync(1, V1);
        await using var load = new LoadGenerator(Url, Host, clients: 6, body => body is "v1" or "v2");
        var switches = new List<(SwitchClock Clock, string Version)>();

        for (var release = 2; release <= 21; release++)
        {
            var version = release % 2 == 0 ? "v2" : "v1";
            switches.Add((await ApplyAsync(release, version == "v2" ? V2 : V1), version));
        }

        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        var end = LoadGenerator.Now;
        await load.StopAsync();

        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} of {load.Responses.Count + load.Failures.Count} requests failed: {string.Join(" | ", load.Failures.Take(5))}");
        for (var i = 0; i < switches.Count; i++)
        {
            // From the moment the route changed to the moment the next switch began.
            var (clock, version) = switches[i];
            var (from, to) = (clock.Switched, i + 1 < switches.Count ? switches[i + 1].Clock.Switching : end);
            var window = load.Responses.Where(r => r.StartedTicks > from && r.StartedTicks < to).ToList();
            Assert.NotEmpty(window);
            Assert.All(window, r => Assert.Equal(version, r.Body));
        }

        Assert.Single(await _deploy.ContainersAsync());
    }

    [Fact]
    public async Task ApplyAsync_FailedDeployThenRollback_TrafficNeverLeavesTheServingVersion()
    {
        await _proxy.StartAsync(Ct);
        await ApplyAsync(1, V1);
        await using var load = new LoadGenerator(Url, Host, clients: 4, body => body is "v1" or "v2");

        var failed = await _deploy.Engine.ApplyAsync(_deploy.Release(2, Web(DeployHarness.Image("FLEET_TEST_IMAGE_BAD"))), null, Ct);
        var afterFailure = LoadGenerator.Now;
        await ApplyAsync(3, V2);
        var beforeRollback = LoadGenerator.Now;
        var rollback = await _deploy.Engine.RollBackAsync(_deploy.App, null, Ct);
        var afterRollback = LoadGenerator.Now;
        await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
        await load.StopAsync();

        Assert.False(failed.Succeeded);
        Assert.True(rollback.Succeeded, rollback.Reason);
        Assert.Empty(load.Failures);
        Assert.All(load.Responses.Where(r => r.StartedTicks < afterFailure), r => Assert.Equal("v1", r.Body));
        Assert.Contains(load.Responses, r => r.StartedTicks > afterFailure && r.StartedTicks < beforeRollback && r.Body == "v2");
        var afterRollbackResponses = load.Responses.Where(r => r.StartedTicks > afterRollback).ToList();
        Assert.NotEmpty(afterRollbackResponses);
        Assert.All(afterRollbackResponses, r => Assert.Equal("v1", r.Body));
    }

    [Fact]
    public async Task ApplyAsync_HostClaimedByAnotherApp_RefusedNamingBothAndNothingStarted()
    {
        await _proxy.StartAsync(Ct);
        await ApplyAsync(1, V1);
        await using var other = new DeployHarness(proxyAdminSocket: _proxy.AdminSocket);
        // The second agent harness shares the proxy but not the journal: seed it with the first app's route.
        _deploy.Journal.All().ToList().ForEach(other.Journal.Set);

        var result = await other.Engine.ApplyAsync(other.Release(1, Web(V2)), null, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains($"host {Host} is claimed by both ", result.Reason, StringComparison.Ordinal);
        Assert.Contains($"{_deploy.App}/web", result.Reason, StringComparison.Ordinal);
        Assert.Contains($"{other.App}/web", result.Reason, StringComparison.Ordinal);
        Assert.Empty(await other.ContainersAsync());
        Assert.Equal("v1", await ProxyProcessTests.GetAsync(Url, Host));
    }

    public async ValueTask DisposeAsync()
    {
        await _deploy.DisposeAsync();
        await _proxy.DisposeAsync();
        _state.Dispose();
    }

    private static ServiceSpec Web(string image) =>
        DeployHarness.Web(image) with { Proxy = new ServiceProxy([Host], null, false, TimeSpan.FromSeconds(10), []) };

    // Applies the release and returns when its switch began (Switching precedes the route change)
    // and when it had taken effect (Draining follows it).
    private async Task<SwitchClock> ApplyAsync(long release, string image)
    {
        var clock = new SwitchClock();
        var result = await _deploy.Engine.ApplyAsync(_deploy.Release(release, Web(image)), clock, Ct);
        Assert.True(result.Succeeded, result.Reason);
        return clock;
    }

    private sealed class SwitchClock : IProgress<SwapProgress>
    {
        public long Switching { get; private set; }

        public long Switched { get; private set; }

        public void Report(SwapProgress value)
        {
            if (value.Step == SwapStep.Switching)
            {
                Switching = LoadGenerator.Now;
            }
            else if (value.Step == SwapStep.Draining)
            {
                Switched = LoadGenerator.Now;
            }
        }
    }
}
