using ImageReference = Fleet.Core.Releases.ImageReference;

namespace Fleet.Agent.Deploy;

internal sealed partial class SwapEngine
{
    // Null: go ahead. Success: this exact release already serves (a re-delivered order). Failure: refuse.
    // Only a rollback may go back to an older release.
    private static SwapResult? Precheck(ServiceJournal before, long release, ServiceSpec spec, bool rollback)
    {
        if (before.Pending is { } pending)
        {
            return new SwapResult(false, spec.Name, $"release {pending.Release} of {spec.Name} was interrupted and is not reconciled yet");
        }

        return before.Applied switch
        {
            { } applied when applied.Release == release && applied.Spec.Image == spec.Image => SwapResult.Success,
            { } applied when !rollback && applied.Release >= release => new SwapResult(
                false, spec.Name, $"release {release} is not newer than release {applied.Release} already applied to {spec.Name}"),
            _ => null,
        };
    }

    private async Task<string> DiskPathAsync(CancellationToken cancellationToken)
    {
        var dataRoot = await runtime.GetDataRootAsync(cancellationToken);
        // A remote Docker's folder is not visible here; the journal's disk is the best local answer.
        return Directory.Exists(dataRoot) ? dataRoot : Path.GetDirectoryName(Path.GetFullPath(options.Value.JournalPath))!;
    }

    private async Task PrepareAsync(string app, long release, ServiceSpec spec, Reporter report, CancellationToken cancellationToken)
    {
        await AtAsync(SwapCheckpoint.BeforePull);
        var images = new[] { spec.Image }.Concat((spec.PreDeployHooks ?? []).Select(h => h.Image).OfType<string>()).Distinct(StringComparer.Ordinal);
        foreach (var image in images.Select(DeployRequestValidator.ImageOf))
        {
            if (image.IsMatchedBy(await runtime.GetRepoDigestsAsync(image.Pinned, cancellationToken)))
            {
                // Already here (a rollback, a retry): the content-addressed local copy is the verified one.
                report.Step(SwapStep.Pulling, $"{image.Pinned} is already present");
            }
            else
            {
                await PullAsync(image, report, cancellationToken);
            }
        }

        await AtAsync(SwapCheckpoint.BeforeHooks);
        for (var i = 0; i < (spec.PreDeployHooks?.Count ?? 0); i++)
        {
            report.Step(SwapStep.HookRunning, spec.PreDeployHooks![i].Name);
            await RunHookAsync(app, release, spec, i, cancellationToken);
        }
    }

    private async Task PullAsync(ImageReference image, Reporter report, CancellationToken cancellationToken)
    {
        report.Step(SwapStep.Pulling, image.Pinned);
        try
        {
            await runtime.PullAsync(image, report, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new SwapFailureException($"pull of {image.Pinned} failed: {ex.Message}");
        }

        var digests = await runtime.GetRepoDigestsAsync(image.Pinned, cancellationToken);
        if (!image.IsMatchedBy(digests))
        {
            throw new SwapFailureException(
                $"digest mismatch: expected {image.Pinned}, the local image has [{string.Join(", ", digests)}]");
        }
    }

    private async Task RunHookAsync(string app, long release, ServiceSpec spec, int index, CancellationToken cancellationToken)
    {
        var hook = spec.PreDeployHooks![index];
        var id = await containers.CreateHookAsync(app, release, spec, index, cancellationToken);
        try
        {
            await runtime.StartAsync(id, cancellationToken);
            long exitCode;
            using (var deadline = new CancellationTokenSource(hook.Timeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
            {
                try
                {
                    exitCode = await runtime.WaitAsync(id, linked.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new SwapFailureException(
                        $"pre-deploy hook {hook.Name} timed out after {hook.Timeout.TotalSeconds:0.###} s",
                        await containers.LogTailAsync(id, cancellationToken));
                }
            }

            if (exitCode != 0)
            {
                throw new SwapFailureException(
                    $"pre-deploy hook {hook.Name} exited with code {exitCode}", await containers.LogTailAsync(id, cancellationToken));
            }
        }
        finally
        {
            await runtime.RemoveAsync(id, CancellationToken.None);
        }
    }

    private async Task<ContainerSummary?> FindAsync(string app, SlotRecord record, CancellationToken cancellationToken) =>
        (await containers.ListAsync(app, record.Spec.Name, cancellationToken)).FirstOrDefault(c => SlotContainers.Holds(c, record));

    // Back to the state before the swap: no new container, the old release serving, nothing pending.
    private async Task RollBackAsync(string app, ServiceJournal before, SwapState state, CancellationToken cancellationToken)
    {
        if (state.NewId is not null)
        {
            await runtime.RemoveAsync(state.NewId, cancellationToken);
        }

        if (state.OldStopped && before.Applied is { } applied)
        {
            var id = await containers.CreateAsync(app, applied, cancellationToken);
            await runtime.StartAsync(id, cancellationToken);
            Log.OldRestored(logger, app, applied.Spec.Name, applied.Release);
        }

        journal.Set(before);
    }
}
