using Fleet.Agent.Traffic;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Deploy;

/// <summary>
/// Swaps the containers of one app on this host: journal pending, pull by digest, hooks, start beside
/// the old container, health check, switch, drain, journal applied. The old container keeps serving
/// until the new one is healthy (unless the service is stop-first); any failure removes the new one.
/// </summary>
internal sealed partial class SwapEngine(
    IContainerRuntime runtime,
    DeployJournal journal,
    SlotAllocator slots,
    SlotContainers containers,
    HealthProbe probe,
    ServiceHealthCheck checks,
    DiskSpaceGuard disk,
    DeployGate gate,
    TrafficSwitch traffic,
    IOptions<DeployOptions> options,
    TimeProvider time,
    ILogger<SwapEngine> logger)
{
    /// <summary>Test seam: awaited at each checkpoint; a task that never completes freezes the swap like a SIGKILL.</summary>
    internal Func<SwapCheckpoint, Task>? Checkpoint { get; set; }

    /// <summary>Applies every service in order and stops at the first failure, which it reports.</summary>
    public async Task<SwapResult> ApplyAsync(
        DeployRequest request, IProgress<SwapProgress>? progress, CancellationToken cancellationToken)
    {
        if (DeployRequestValidator.Validate(request, options.Value.StateDirectory) is { } invalid)
        {
            Log.Refused(logger, request.App, request.Release, invalid);
            return new SwapResult(false, Reason: invalid);
        }

        return await SerializedAsync(
            request.Services.Select(service => (Func<Task<SwapResult>>)(() =>
                ApplyServiceAsync(request.App, request.Release, service, rollback: false, progress, cancellationToken))),
            cancellationToken);
    }

    /// <summary>
    /// Automatic rollback: returns every service of the app that runs a release to the one before
    /// (with <paramref name="fromRelease"/>, only the services that run that release now, e.g. the
    /// ones a failed multi-service swap already switched). That release was verified when it was
    /// first applied and its image was kept, so no new order is needed. A service whose release was
    /// the first here has nothing to return to: its container is removed (withdrawn).
    /// </summary>
    public async Task<SwapResult> RollBackAsync(
        string app, IProgress<SwapProgress>? progress, CancellationToken cancellationToken, long? fromRelease = null)
    {
        var targets = journal.All()
            .Where(e => e.App == app && e.Applied is not null && (fromRelease is null || e.Applied.Release == fromRelease))
            .ToList();
        if (targets.Count == 0)
        {
            return new SwapResult(false, Reason: $"{app} has no previous release to roll back to");
        }

        return await SerializedAsync(
            targets.Select(entry => (Func<Task<SwapResult>>)(() => entry.Previous is { } previous
                ? ApplyServiceAsync(app, previous.Release, previous.Spec, rollback: true, progress, cancellationToken)
                : WithdrawAsync(entry, progress, cancellationToken))),
            cancellationToken);
    }

    // Runs the services' swaps one after another under the host-wide gate; stops at the first failure.
    private Task<SwapResult> SerializedAsync(IEnumerable<Func<Task<SwapResult>>> swaps, CancellationToken cancellationToken) =>
        gate.RunAsync(
            async () =>
            {
                foreach (var swap in swaps)
                {
                    var result = await swap();
                    if (!result.Succeeded)
                    {
                        return result;
                    }
                }

                return SwapResult.Success;
            },
            cancellationToken);

    private async Task<SwapResult> ApplyServiceAsync(
        string app, long release, ServiceSpec spec, bool rollback, IProgress<SwapProgress>? progress, CancellationToken cancellationToken)
    {
        var report = new Reporter(app, spec.Name, release, progress);
        var before = journal.Get(app, spec.Name) ?? new ServiceJournal(app, spec.Name, null, null, null);
        if (Precheck(before, release, spec, rollback) is { } precheck)
        {
            return precheck.Succeeded ? Done(report) : Fail(report, precheck.Reason!, null);
        }

        if (traffic.Conflict(app, spec) is { } conflict)
        {
            return Fail(report, $"{spec.Name} cannot be routed on this host: {conflict}", null);
        }

        SlotAssignment slot;
        SlotRecord pending;
        try
        {
            if (disk.Check(await DiskPathAsync(cancellationToken)) is { } full)
            {
                return Fail(report, full, null);
            }

            slot = slots.Allocate(before.Applied?.Slot, journal.ReservedPorts(), SlotAllocator.IsLoopbackPortFree);
            pending = new SlotRecord(release, slot.Slot, slot.Port, slot.Endpoint, spec, time.GetUtcNow());
            journal.Set(before with { Pending = pending });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing was touched yet (Docker unreachable, no free port, journal not writable).
            return Fail(report, $"cannot start the swap of {spec.Name}: {ex.Message}", null);
        }

        Log.SwapStarted(logger, app, spec.Name, release, slot.Slot, slot.Endpoint);

        var state = new SwapState();
        try
        {
            await PrepareAsync(app, release, spec, report, cancellationToken);
            state.Old = before.Applied is null ? null : await FindAsync(app, before.Applied, cancellationToken);
            if (spec.Order == UpdateOrder.StopFirst && state.Old is not null)
            {
                await AtAsync(SwapCheckpoint.BeforeStopOld);
                report.Step(SwapStep.Draining, $"stop-first: stopping release {before.Applied!.Release}");
                await containers.StopAndRemoveAsync(state.Old.Id, cancellationToken);
                state.OldStopped = true;
            }

            await StartNewAsync(app, pending, slot, state, report, cancellationToken);
            await AtAsync(SwapCheckpoint.BeforeSwitch);
            report.Step(SwapStep.Switching, slot.Endpoint);
            await traffic.SwitchAsync(app, pending, cancellationToken);
            journal.Set(new ServiceJournal(app, spec.Name, pending, null, before.Applied));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = ex as SwapFailureException
                ?? new SwapFailureException(
                    $"swap of {spec.Name} to release {release} failed: {ex.Message}",
                    state.NewId is null ? null : await containers.LogTailAsync(state.NewId, cancellationToken));
            await RollBackAsync(app, before, state, cancellationToken);
            return Fail(report, failure.Message, failure.LogTail);
        }

        if (state.Old is not null && !state.OldStopped)
        {
            await DrainAsync(app, before.Applied!, state.Old.Id, report, cancellationToken);
        }

        Log.SwapApplied(logger, app, spec.Name, release, slot.Slot, slot.Endpoint);
        return Done(report);
    }

    private async Task StartNewAsync(
        string app, SlotRecord pending, SlotAssignment slot, SwapState state, Reporter report, CancellationToken cancellationToken)
    {
        await AtAsync(SwapCheckpoint.BeforeCreate);
        report.Step(SwapStep.Starting, $"slot {slot.Slot} on {slot.Endpoint}");
        state.NewId = await containers.CreateAsync(app, pending, cancellationToken);
        await AtAsync(SwapCheckpoint.BeforeStart);
        await runtime.StartAsync(state.NewId, cancellationToken);

        await AtAsync(SwapCheckpoint.BeforeHealthCheck);
        var health = pending.Spec.Health;
        report.Step(SwapStep.HealthChecking, $"{health.Kind} check on {slot.Endpoint}");
        var result = await probe.WaitHealthyAsync(health, checks.For(health, state.NewId, slot), cancellationToken);
        if (!result.Healthy)
        {
            throw new SwapFailureException(
                $"{pending.Spec.Name} release {pending.Release} is not healthy: {result.Detail}",
                await containers.LogTailAsync(state.NewId, cancellationToken));
        }
    }

    // A first release rolled back: nothing earlier to start, so its container goes and the journal
    // keeps the release as withdrawn (its sequence is never admitted again).
    private async Task<SwapResult> WithdrawAsync(ServiceJournal entry, IProgress<SwapProgress>? progress, CancellationToken cancellationToken)
    {
        var applied = entry.Applied!;
        var report = new Reporter(entry.App, entry.Service, applied.Release, progress);
        report.Step(SwapStep.Draining, $"release {applied.Release} is the first of {entry.Service} here: removing it, nothing earlier to return to");
        await traffic.RemoveAsync(entry.App, entry.Service, cancellationToken);
        if (await FindAsync(entry.App, applied, cancellationToken) is { } container)
        {
            await containers.StopAndRemoveAsync(container.Id, cancellationToken);
        }

        journal.Set(entry with { Applied = null, Previous = applied });
        Log.Withdrawn(logger, entry.App, entry.Service, applied.Release);
        return Done(report);
    }

    private async Task DrainAsync(string app, SlotRecord old, string oldId, Reporter report, CancellationToken cancellationToken)
    {
        await AtAsync(SwapCheckpoint.BeforeDrain);
        report.Step(SwapStep.Draining, $"draining slot {old.Slot}, then stopping the old container");
        try
        {
            await traffic.DrainAsync(app, old, cancellationToken);
            await runtime.StopAsync(oldId, options.Value.StopGrace, cancellationToken);
            await AtAsync(SwapCheckpoint.BeforeRemoveOld);
            await runtime.RemoveAsync(oldId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Traffic already moved: the Reconciler removes the old container on its next pass.
            Log.DrainFailed(logger, app, old.Spec.Name, ex);
        }
    }

    private Task AtAsync(SwapCheckpoint checkpoint) => Checkpoint?.Invoke(checkpoint) ?? Task.CompletedTask;

    private static SwapResult Done(Reporter report)
    {
        report.Step(SwapStep.Applied);
        return SwapResult.Success;
    }

    private SwapResult Fail(Reporter report, string reason, string? logTail)
    {
        Log.SwapFailed(logger, report.App, report.Service, report.Release, reason);
        report.Step(SwapStep.Failed, reason, logTail: logTail);
        return new SwapResult(false, report.Service, reason, logTail);
    }

    private sealed class SwapState
    {
        public ContainerSummary? Old { get; set; }

        public bool OldStopped { get; set; }

        public string? NewId { get; set; }
    }

    // Reports synchronously, so that byte counts never arrive after the step that follows the pull.
    private sealed record Reporter(string App, string Service, long Release, IProgress<SwapProgress>? Progress)
        : IProgress<PullProgress>
    {
        public void Report(PullProgress value) => Step(SwapStep.Pulling, bytes: value);

        public void Step(SwapStep step, string? detail = null, PullProgress? bytes = null, string? logTail = null) =>
            Progress?.Report(new SwapProgress(App, Service, Release, step, detail, bytes, logTail));
    }
}
