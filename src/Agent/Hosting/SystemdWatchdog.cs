using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;

namespace Fleet.Agent.Hosting;

/// <summary>
/// Pings systemd's watchdog (WatchdogSec= in the unit) at half its interval, so a hung process
/// is restarted. Does nothing outside systemd or without a watchdog.
/// </summary>
internal sealed class SystemdWatchdog(IEnumerable<ISystemdNotifier> notifiers, IConfiguration configuration, TimeProvider time) : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var notifier = notifiers.FirstOrDefault(n => n.IsEnabled);
        if (notifier is null
            || !long.TryParse(configuration["WATCHDOG_USEC"], NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds)
            || microseconds <= 0)
        {
            return;
        }

        var every = TimeSpan.FromMicroseconds(microseconds / 2.0);
        while (!stoppingToken.IsCancellationRequested)
        {
            notifier.Notify(Ping);
            await Task.Delay(every, time, stoppingToken);
        }
    }
}
