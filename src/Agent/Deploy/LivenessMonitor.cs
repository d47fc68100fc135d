using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Deploy;

/// <summary>What the liveness monitor saw of one service: restarts it made and the last failure.</summary>
internal sealed record LivenessStatus(string App, string Service, long Release, int Restarts, string? LastFailure, DateTimeOffset? LastRestartAt);

/// <summary>
/// Probes the liveness check of every applied service, starting <see cref="ServiceSpec.LivenessDelay"/>
/// (the release's min_healthy_time) after its swap began, for as long as it runs: after the check's
/// retries of consecutive failures the container is restarted and the restart is logged and counted
/// (<see cref="Statuses"/>, shown in the agent's status). Never during a swap of the same service.
/// </summary>
internal sealed partial class LivenessMonitor(
    DeployJournal journal,
    SlotContainers containers,
    ServiceHealthCheck checks,
    HealthProbe probe,
    IContainerRuntime runtime,
    DeployGate gate,
    IOptions<DeployOptions> options,
    TimeProvider time,
    ILogger<LivenessMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, Watched> _watched = new(StringComparer.Ordinal);

    public IReadOnlyList<LivenessStatus> Statuses => [.. _watched.Values.Select(w => w.Status)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.PassFailed(logger, ex);
            }

            await Task.Delay(Tick, time, stoppingToken);
        }
    }

    /// <summary>Probes every service whose liveness check is due; restarts the ones that failed it.</summary>
    internal async Task CheckOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var entry in journal.All())
        {
            if (entry.Applied is not { Spec.Liveness: { } liveness } applied || entry.Pending is not null || now - applied.At < applied.Spec.LivenessDelay)
            {
                continue;
            }

            var watched = _watched.AddOrUpdate(
                entry.Key,
                _ => new Watched(entry.App, applied, liveness, now),
                (_, old) => old.Record.Release == applied.Release && old.Record.Slot == applied.Slot ? old : new Watched(entry.App, applied, liveness, now));
            if (now < watched.NextProbeAt)
            {
                continue;
            }

            watched.NextProbeAt = now + liveness.EffectiveInterval;
            var container = (await containers.ListAsync(entry.App, entry.Service, cancellationToken)).FirstOrDefault(c => SlotContainers.Holds(c, applied));
            if (container is null)
            {
                continue;
            }

            var slot = new SlotAssignment(applied.Slot, applied.Port);
            var result = await probe.ProbeOnceAsync(
                liveness.EffectiveTimeout,
                async ct => await runtime.InspectAsync(container.Id, ct) is { Running: true }
                    ? await checks.CheckAsync(liveness, container.Id, slot, ct)
                    : ProbeResult.Fail("the container is not running"),
                cancellationToken);
            if (watched.Tracker.Record(result.Healthy, time.GetUtcNow()) == HealthState.Unhealthy)
            {
                await RestartAsync(entry, watched, container.Id, result.Detail, cancellationToken);
            }
        }
    }

    // False when a swap replaced the container while this probe ran: nothing to restart then.
    private Task<bool> RestartAsync(ServiceJournal entry, Watched watched, string containerId, string detail, CancellationToken cancellationToken) =>
        gate.RunAsync(
            async () =>
            {
                if (journal.Get(entry.App, entry.Service) is not { Pending: null, Applied: { } now } || now.Release != watched.Record.Release || now.Slot != watched.Record.Slot)
                {
                    return false;
                }

                Log.Restarting(logger, entry.App, entry.Service, now.Release, detail);
                await runtime.RestartAsync(containerId, options.Value.StopGrace, cancellationToken);
                watched.Restarted(detail, time.GetUtcNow());
                return true;
            },
            cancellationToken);

    private sealed class Watched(string app, SlotRecord record, HealthCheckSpec liveness, DateTimeOffset startedAt)
    {
        private readonly HealthCheckSpec _liveness = liveness;

        public SlotRecord Record { get; } = record;

        public HealthTracker Tracker { get; private set; } = new(liveness, startedAt);

        public DateTimeOffset NextProbeAt { get; set; } = startedAt;

        public LivenessStatus Status { get; private set; } = new(app, record.Spec.Name, record.Release, 0, null, null);

        // After a restart the check's start period applies again.
        public void Restarted(string detail, DateTimeOffset at)
        {
            Tracker = new HealthTracker(_liveness, at);
            NextProbeAt = at + _liveness.EffectiveInterval;
            Status = Status with { Restarts = Status.Restarts + 1, LastFailure = detail, LastRestartAt = at };
        }
    }

    // Event ids 6300–6399 = Deploy: accessories, liveness, volumes.
    private static partial class Log
    {
        [LoggerMessage(6300, LogLevel.Warning, "{App}/{Service} release {Release} failed its liveness check and is restarted: {Detail}")]
        public static partial void Restarting(ILogger logger, string app, string service, long release, string detail);

        [LoggerMessage(6301, LogLevel.Error, "A liveness pass failed; retrying in a second")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}
