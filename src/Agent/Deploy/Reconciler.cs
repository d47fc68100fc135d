using Fleet.Agent.Traffic;

namespace Fleet.Agent.Deploy;

/// <summary>
/// Run when the agent starts (before any swap): compares the journal with the containers Docker
/// holds for each journaled service and converges to exactly one running slot per service.
/// An interrupted swap is finished when its new container is running and passes its health check,
/// otherwise rolled back; other containers of the service are removed; a running container of the
/// applied release is never touched.
/// </summary>
internal sealed partial class Reconciler(
    IContainerRuntime runtime,
    DeployJournal journal,
    SlotContainers containers,
    HealthProbe probe,
    ServiceHealthCheck checks,
    DeployGate gate,
    TrafficSwitch traffic,
    ILogger<Reconciler> logger)
{
    /// <summary>Converges every journaled service; returns how many services it looked at.</summary>
    public Task<int> ReconcileAsync(CancellationToken cancellationToken) =>
        gate.RunAsync(
            async () =>
            {
                var entries = journal.All();
                foreach (var entry in entries)
                {
                    await ReconcileServiceAsync(entry, cancellationToken);
                }

                await traffic.SyncAsync(cancellationToken);

                return entries.Count;
            },
            cancellationToken);

    private async Task ReconcileServiceAsync(ServiceJournal entry, CancellationToken cancellationToken)
    {
        var found = await containers.ListAsync(entry.App, entry.Service, cancellationToken);
        var keep = entry.Pending is null ? entry.Applied : await ResolvePendingAsync(entry, found, cancellationToken);

        foreach (var stray in found.Where(c => keep is null || !SlotContainers.Holds(c, keep)))
        {
            Log.RemovingStray(logger, entry.App, entry.Service, stray.Name);
            await containers.StopAndRemoveAsync(stray.Id, cancellationToken);
        }

        if (keep is null)
        {
            return;
        }

        var current = found.FirstOrDefault(c => SlotContainers.Holds(c, keep));
        if (current is { Running: true })
        {
            return;
        }

        string id;
        if (current is not null)
        {
            Log.Starting(logger, entry.App, entry.Service, keep.Release, current.Name);
            id = current.Id;
        }
        else
        {
            Log.Recreating(logger, entry.App, entry.Service, keep.Release, keep.Slot);
            var image = DeployRequestValidator.ImageOf(keep.Spec);
            if (!image.IsMatchedBy(await runtime.GetRepoDigestsAsync(image.Pinned, cancellationToken)))
            {
                await runtime.PullAsync(image, new Progress<PullProgress>(), cancellationToken);
            }

            id = await containers.CreateAsync(entry.App, keep, cancellationToken);
        }

        await runtime.StartAsync(id, cancellationToken);
        var health = await CheckAsync(keep, id, cancellationToken);
        if (!health.Healthy)
        {
            Log.StillUnhealthy(logger, entry.App, entry.Service, keep.Release, health.Detail);
        }
    }

    private Task<ProbeResult> CheckAsync(SlotRecord record, string containerId, CancellationToken cancellationToken) =>
        probe.WaitHealthyAsync(
            record.Spec.Health,
            checks.For(record.Spec.Health, containerId, new SlotAssignment(record.Slot, record.Port)),
            cancellationToken);

    // Returns the record to keep serving and rewrites the journal with nothing pending.
    private async Task<SlotRecord?> ResolvePendingAsync(
        ServiceJournal entry, IReadOnlyList<ContainerSummary> found, CancellationToken cancellationToken)
    {
        var pending = entry.Pending!;
        var candidate = found.FirstOrDefault(c => c.Running && SlotContainers.Holds(c, pending));
        if (candidate is not null)
        {
            if ((await CheckAsync(pending, candidate.Id, cancellationToken)).Healthy)
            {
                Log.Finished(logger, entry.App, entry.Service, pending.Release);
                journal.Set(new ServiceJournal(entry.App, entry.Service, pending, null, entry.Applied));
                return pending;
            }
        }

        Log.RolledBack(logger, entry.App, entry.Service, pending.Release);
        journal.Set(entry with { Pending = null });
        return entry.Applied;
    }

    private static partial class Log
    {
        [LoggerMessage(3020, LogLevel.Information, "Finished the interrupted swap of {App}/{Service} to release {Release}")]
        public static partial void Finished(ILogger logger, string app, string service, long release);

        [LoggerMessage(3021, LogLevel.Warning, "Rolled back the interrupted swap of {App}/{Service} to release {Release}")]
        public static partial void RolledBack(ILogger logger, string app, string service, long release);

        [LoggerMessage(3022, LogLevel.Information, "Removing container {Container} of {App}/{Service}: not the applied slot")]
        public static partial void RemovingStray(ILogger logger, string app, string service, string container);

        [LoggerMessage(3023, LogLevel.Warning, "Starting stopped container {Container} of {App}/{Service} release {Release}")]
        public static partial void Starting(ILogger logger, string app, string service, long release, string container);

        [LoggerMessage(3024, LogLevel.Warning, "Recreating {App}/{Service} release {Release} in slot {Slot}: its container is missing")]
        public static partial void Recreating(ILogger logger, string app, string service, long release, string slot);

        [LoggerMessage(3025, LogLevel.Error, "{App}/{Service} release {Release} is not healthy after a restart: {Detail}")]
        public static partial void StillUnhealthy(ILogger logger, string app, string service, long release, string detail);
    }
}
