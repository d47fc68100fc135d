using Fleet.Agent.Hosting;
using Fleet.Agent.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Systemd;

namespace Fleet.Agent.Tests.Hosting;

public sealed class SystemdWatchdogTests
{
    [Fact]
    public async Task ExecuteAsync_WatchdogConfigured_PingsAtHalfTheInterval()
    {
        var time = new RecordingTimeProvider();
        var notifier = new FakeNotifier(enabled: true);
        using var watchdog = new SystemdWatchdog([notifier], Configuration("20000000"), time);

        await watchdog.StartAsync(TestContext.Current.CancellationToken);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(10), 1, TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(10));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(10), 2, TestContext.Current.CancellationToken);
        await watchdog.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["WATCHDOG=1", "WATCHDOG=1"], notifier.Sent);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, "20000000")]
    public async Task ExecuteAsync_NoSystemdOrNoWatchdog_SendsNothing(bool enabled, string? watchdogUsec)
    {
        var notifier = new FakeNotifier(enabled);
        using var watchdog = new SystemdWatchdog([notifier], Configuration(watchdogUsec), new RecordingTimeProvider());

        await watchdog.StartAsync(TestContext.Current.CancellationToken);
        await watchdog.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Empty(notifier.Sent);
    }

    private static IConfiguration Configuration(string? watchdogUsec) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WATCHDOG_USEC"] = watchdogUsec }).Build();

    private sealed class FakeNotifier(bool enabled) : ISystemdNotifier
    {
        public List<string> Sent { get; } = [];

        public bool IsEnabled => enabled;

        public void Notify(ServiceState state) => Sent.Add(state.ToString());
    }
}
