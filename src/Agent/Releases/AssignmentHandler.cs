using Fleet.Agent.Deploy;
using Fleet.Agent.Events;
using Fleet.Agent.Trust;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;

namespace Fleet.Agent.Releases;

/// <summary>
/// Acts on one release assignment and reports every step through the event outbox. APPLY: admit
/// the envelope against this agent's own trust policy, environment, labels, last applied sequence
/// and clock (a refusal applies nothing), swap, then watch health for the minimum healthy time and
/// roll itself back on a regression. REVERT: return to the previous release. The listeners follow
/// the release that serves after each switch, rollback and revert. A re-delivered assignment
/// re-reports its recorded outcome.
/// </summary>
internal sealed partial class AssignmentHandler(
    SwapEngine engine,
    AppliedReleases applied,
    AppliedManifests manifests,
    AgentTrust trust,
    AgentTarget target,
    EventOutbox outbox,
    AssignmentResults results,
    HealthWatch watch,
    IEnumerable<IReleaseAppliedListener> listeners,
    IReleaseBackups backups,
    IReleaseSecrets secrets,
    TimeProvider time,
    ILogger<AssignmentHandler> logger)
{
    public async Task HandleAsync(ReleaseAssignment assignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var key = AssignmentResults.KeyOf(assignment);
        if (results.Find(key) is { } recorded)
        {
            Log.Duplicate(logger, assignment.App, assignment.Sequence, assignment.Action);
            foreach (var final in recorded)
            {
                await outbox.AppendAsync(final, cancellationToken);
            }

            return;
        }

        results.Begin(key, assignment);
        var report = new Reporter(assignment, outbox, time);
        var finals = assignment.Action switch
        {
            AssignmentAction.Apply => await ApplyAsync(assignment, report, cancellationToken),
            AssignmentAction.Revert => await RevertAsync(assignment, report, cancellationToken),
            _ => [await report.EmitAsync(AgentEventKind.Refused, "UnknownAction", $"unknown assignment action {assignment.Action}", null, 0, cancellationToken)],
        };
        results.Record(key, finals);
    }

    private async Task<List<AgentEvent>> ApplyAsync(ReleaseAssignment assignment, Reporter report, CancellationToken cancellationToken)
    {
        var admitted = Admit(assignment, out var alreadyServing);
        if (admitted.Refusal is { } refusal)
        {
            Log.Refused(logger, assignment.App, assignment.Sequence, refusal.Code, refusal.Message);
            return [await report.EmitAsync(AgentEventKind.Refused, refusal.Code, refusal.Message, null, 0, cancellationToken)];
        }

        var verified = admitted.Release!;
        var manifest = verified.Manifest;
        var request = ReleaseMapper.Map(manifest, assignment.RunOnceHooks);

        var declaredBackups = manifest.Release.Backups ?? [];
        if (!alreadyServing)
        {
            // Before anything changes: a secret this host cannot open stops its deploy here.
            var (prepared, secretsError) = await secrets.PrepareAsync(manifest, request, cancellationToken);
            if (prepared is null)
            {
                return [await report.EmitAsync(AgentEventKind.Failed, "secrets", secretsError, null, 0, cancellationToken)];
            }

            request = prepared;
            if (assignment.RunOnceHooks && await PreDeployBackupsAsync(report, request, declaredBackups, cancellationToken) is { } blocked)
            {
                return [blocked];
            }

            var result = await report.SwapAsync(progress => engine.ApplyAsync(request, progress, cancellationToken), cancellationToken);
            if (!result.Succeeded)
            {
                List<AgentEvent> failed = [await report.EmitAsync(AgentEventKind.Failed, result.Service ?? "", result.Reason, result.LogTail, 0, cancellationToken)];
                if (applied.Services(request.App).Any(e => e.Applied?.Release == request.Release))
                {
                    // A multi-service swap failed after switching some services: return those too.
                    failed.Add(await RollBackAsync(report, request.App, request.Release, cancellationToken));
                }

                return failed;
            }
        }

        var events = new List<AgentEvent> { await report.EmitAsync(AgentEventKind.Applied, "switched", $"release {request.Release} serves", null, 0, cancellationToken) };
        manifests.Applied(manifest.App, manifest.Sequence, verified.Envelope.Payload);
        await NotifyListenersAsync(manifest.App, manifest, cancellationToken);
        var period = assignment.MinHealthySeconds > 0 ? TimeSpan.FromSeconds(assignment.MinHealthySeconds) : manifest.Release.MinHealthyTime;
        await report.EmitAsync(AgentEventKind.Progress, "watching", $"health checks continue for {period.TotalSeconds:0} s", null, 0, cancellationToken);
        if (await watch.WatchAsync(request, period, cancellationToken) is not { } regression)
        {
            events.Add(await report.EmitAsync(AgentEventKind.Healthy, "healthy", $"healthy for {period.TotalSeconds:0} s after the switch", null, 0, cancellationToken));
            return events;
        }

        Log.Regressed(logger, assignment.App, request.Release, regression.Detail);
        events.Add(await report.EmitAsync(AgentEventKind.Unhealthy, regression.Service, regression.Detail, regression.LogTail, 0, cancellationToken));
        events.Add(await RollBackAsync(report, assignment.App, request.Release, cancellationToken));
        return events;
    }

    private async Task NotifyListenersAsync(string app, ReleaseManifest? applied, CancellationToken cancellationToken)
    {
        foreach (var listener in listeners)
        {
            try
            {
                await listener.AppliedReleaseChangedAsync(app, applied, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ListenerFailed(logger, listener.GetType().Name, app, applied?.Sequence ?? 0, ex);
            }
        }
    }

    // Once per rollout, on the host the controller picked to go first (it runs the run-once hooks), before
    // the swap and so before those hooks: a required backup that fails stops that host's deploy, and the rollout.
    private async Task<AgentEvent?> PreDeployBackupsAsync(Reporter report, DeployRequest request, IReadOnlyList<BackupSpec> declared, CancellationToken cancellationToken)
    {
        if (!declared.Any(b => b.PreDeploy))
        {
            return null;
        }

        var names = string.Join(", ", declared.Where(b => b.PreDeploy).Select(b => b.Name));
        await report.EmitAsync(AgentEventKind.Progress, "backup", $"pre-deploy backup of {names}", null, 0, cancellationToken);
        return await backups.BeforeSwapAsync(request.App, request.Release, declared, cancellationToken) is { } reason
            ? await report.EmitAsync(AgentEventKind.Failed, "backup", reason, null, 0, cancellationToken)
            : null;
    }

    private async Task<List<AgentEvent>> RevertAsync(ReleaseAssignment assignment, Reporter report, CancellationToken cancellationToken)
    {
        // Reverting to release 0 withdraws a first release: afterwards nothing of the app runs here.
        var running = applied.Services(assignment.App).Where(e => e.Applied is not null).ToList();
        if (running.All(e => e.Applied!.Release == assignment.RevertToSequence) && (running.Count > 0 || assignment.RevertToSequence == 0))
        {
            var already = running.Count > 0 ? $"release {assignment.RevertToSequence} already serves" : $"nothing of {assignment.App} runs here";
            var reverted = await report.EmitAsync(AgentEventKind.Reverted, "reverted", already, null, 0, cancellationToken);
            // The agent may have stopped after the journal recorded the rollback and before the listeners heard of it.
            await FollowReturnAsync(assignment.App, assignment.RevertToSequence, cancellationToken);
            return [reverted];
        }

        if (running.Count == 0 || running.Any(e => (e.Previous?.Release ?? 0) != assignment.RevertToSequence))
        {
            var previous = string.Join(", ", running.Select(e => $"{e.Service}: {e.Previous?.Release.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}"));
            return [await report.EmitAsync(
                AgentEventKind.Failed, "revert", $"cannot revert {assignment.App} to release {assignment.RevertToSequence}; previous releases here: [{previous}]", null, 0, cancellationToken)];
        }

        return [await RollBackAsync(report, assignment.App, null, cancellationToken)];
    }

    private async Task<AgentEvent> RollBackAsync(Reporter report, string app, long? fromRelease, CancellationToken cancellationToken)
    {
        var result = await report.SwapAsync(progress => engine.RollBackAsync(app, progress, cancellationToken, fromRelease), cancellationToken);
        if (!result.Succeeded)
        {
            return await report.EmitAsync(AgentEventKind.Failed, "revert", $"rollback failed: {result.Reason}", result.LogTail, 0, cancellationToken);
        }

        var running = applied.Services(app).Where(e => e.Applied is not null).ToList();
        var detail = running.Count > 0
            ? $"returned to the previous release ({string.Join(", ", running.Select(e => $"{e.Service}={e.Applied!.Release}"))})"
            : $"removed {app}: its release was the first here, nothing earlier to return to";
        var reverted = await report.EmitAsync(AgentEventKind.Reverted, "reverted", detail, null, 0, cancellationToken);
        await FollowReturnAsync(app, running.Count > 0 ? running.Min(e => e.Applied!.Release) : 0, cancellationToken);
        return reverted;
    }

    // The features a release declares follow the release that serves again, as far as this agent knows its manifest.
    private async Task FollowReturnAsync(string app, long serving, CancellationToken cancellationToken)
    {
        if (manifests.TryReturnTo(app, serving, out var manifest))
        {
            await NotifyListenersAsync(app, manifest, cancellationToken);
        }
        else
        {
            Log.ManifestUnknown(logger, app, serving);
        }
    }

    // Admission, plus one exception: a replay of exactly what already serves here (the agent
    // stopped before recording the outcome) is not refused but re-confirmed by a health watch.
    private Admitted Admit(ReleaseAssignment assignment, out bool alreadyServing)
    {
        alreadyServing = false;
        SignedTrustPolicy? policy;
        try
        {
            policy = trust.Load();
        }
        catch (DsseFormatException ex)
        {
            return Admitted.Refuse("TrustPolicyDamaged", $"the installed trust policy {trust.Path} is damaged: {ex.Message}");
        }

        if (policy is null)
        {
            return Admitted.Refuse("NoTrustPolicy", "no trust policy is installed; run 'fleet-agent trust install trust.json'");
        }

        if (target.Environment.Length == 0)
        {
            return Admitted.Refuse("NoEnvironment", "this agent has no 'env' label; enroll it with --label env=<environment>");
        }

        var now = time.GetUtcNow();
        var decision = ReleaseAdmission.Admit(assignment.Envelope.Span, policy.Policy, target, applied.LastApplied(target.Environment), now);
        if (decision.Refusal is { Code: ReleaseRefusalCode.SequenceNotNewer } replay)
        {
            var again = ReleaseAdmission.Admit(assignment.Envelope.Span, policy.Policy, target, new Dictionary<AppEnvironment, long>(), now);
            if (again.Accepted is { } same && applied.Serves(ReleaseMapper.Map(same.Manifest, assignment.RunOnceHooks)))
            {
                alreadyServing = true;
                decision = again;
            }
            else
            {
                return Admitted.Refuse(replay.Code.ToString(), replay.Message);
            }
        }

        if (decision.Refusal is { } refusal)
        {
            return Admitted.Refuse(refusal.Code.ToString(), refusal.Message);
        }

        var manifest = decision.Accepted!.Manifest;
        return manifest.App != assignment.App || manifest.Sequence != assignment.Sequence
            ? Admitted.Refuse(
                "AssignmentMismatch",
                $"the assignment names {assignment.App} sequence {assignment.Sequence}; the signed release is {manifest.App} sequence {manifest.Sequence}")
            : new Admitted(decision.Accepted, null);
    }

    private sealed record Admitted(VerifiedRelease? Release, AdmissionRefusal? Refusal)
    {
        public static Admitted Refuse(string code, string message) => new(null, new AdmissionRefusal(code, message));
    }

    private sealed record AdmissionRefusal(string Code, string Message);
}
