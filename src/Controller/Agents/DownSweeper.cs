using Fleet.Controller.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Fleet.Controller.Agents;

/// <summary>
/// The one loop that notices silent agents (a half-open TCP connection keeps a stream "open"
/// forever): it closes any stream without a heartbeat for three intervals, so the agent counts as down.
/// </summary>
internal sealed partial class DownSweeper(
    AgentRegistry registry, IOptions<ControllerOptions> options, TimeProvider time, ILogger<DownSweeper> logger) : BackgroundService
{
    internal TimeSpan Period => TimeSpan.FromTicks(Math.Clamp(options.Value.HeartbeatInterval.Ticks / 2, TimeSpan.TicksPerMillisecond * 250, TimeSpan.TicksPerSecond * 5));

    /// <summary>Closes silent streams; returns how many.</summary>
    internal int SweepOnce()
    {
        var now = time.GetUtcNow();
        var downAfter = options.Value.DownAfter;
        var closed = 0;
        foreach (var connection in registry.Connections)
        {
            if (AgentStates.IsSilent(connection.LastHeartbeat, now, downAfter))
            {
                Log.AgentDown(logger, connection.Name, connection.AgentId, now - connection.LastHeartbeat);
                connection.Close(StatusCode.Unavailable, $"no heartbeat for {(now - connection.LastHeartbeat).TotalSeconds:F0} s; reconnect");
                registry.Unregister(connection);
                closed++;
            }
        }

        return closed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Period, time, stoppingToken);
            SweepOnce();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1510, LogLevel.Warning, "Agent {Name} ({AgentId}) is down: no heartbeat for {Silence}")]
        public static partial void AgentDown(ILogger logger, string name, Guid agentId, TimeSpan silence);
    }
}
