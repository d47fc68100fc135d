using Fleet.Agent.Deploy;

namespace Fleet.Agent.Releases;

/// <summary>A service that turned unhealthy after its switch, with its container's log tail.</summary>
internal sealed record HealthRegression(string Service, string Detail, string? LogTail);

/// <summary>
/// Keeps probing every service of a just-applied release for the minimum healthy time after its
/// switch, with the service's own check: a fatal probe (container exited) or its retries of
/// consecutive failures count as a regression.
/// </summary>
internal sealed class HealthWatch(DeployJournal journal, SlotContainers containers, ServiceHealthCheck checks, HealthProbe probe, TimeProvider time)
{
    /// <summary>Null when every service stayed healthy for <paramref name="period"/>.</summary>
    public async Task<HealthRegression?> WatchAsync(DeployRequest request, TimeSpan period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var targets = new List<Target>();
        foreach (var service in request.Services)
        {
            var applied = journal.Get(request.App, service.Name)?.Applied;
            var container = applied is null
                ? null
                : (await containers.ListAsync(request.App, service.Name, cancellationToken)).FirstOrDefault(c => SlotContainers.Holds(c, applied));
            if (applied is null || container is null)
            {
                return new HealthRegression(service.Name, $"the container of {service.Name} release {request.Release} is gone", null);
            }

            var health = applied.Spec.Health with { StartPeriod = TimeSpan.Zero };
            targets.Add(new Target(
                service.Name,
                container.Id,
                health,
                checks.For(health, container.Id, new SlotAssignment(applied.Slot, applied.Port)),
                new HealthTracker(health, time.GetUtcNow())));
        }

        var end = time.GetUtcNow() + period;
        var interval = targets.Min(t => t.Health.EffectiveInterval);
        while (true)
        {
            foreach (var target in targets)
            {
                var result = await probe.ProbeOnceAsync(target.Health.EffectiveTimeout, target.Probe, cancellationToken);
                if (result.Fatal || target.Tracker.Record(result.Healthy, time.GetUtcNow()) == HealthState.Unhealthy)
                {
                    return new HealthRegression(
                        target.Service,
                        $"{target.Service} turned unhealthy after its switch: {result.Detail}",
                        await containers.LogTailAsync(target.ContainerId, cancellationToken));
                }
            }

            var left = end - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(left < interval ? left : interval, time, cancellationToken);
        }
    }

    private sealed record Target(
        string Service, string ContainerId, HealthCheckSpec Health, Func<CancellationToken, Task<ProbeResult>> Probe, HealthTracker Tracker);
}
