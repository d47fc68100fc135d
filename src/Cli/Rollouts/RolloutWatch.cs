using Fleet.Cli.Connection;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Rollouts;

/// <summary>
/// Follows a rollout until it ends: on a terminal a live table of every agent (state, step,
/// detail) redrawn in place; otherwise one plain line per change. Exit code 0 only when it succeeded.
/// </summary>
internal static class RolloutWatch
{
    public static async Task<int> RunAsync(CliRuntime runtime, IFleetApi api, string rolloutId, CancellationToken cancellationToken)
    {
        Rollout? last = null;
        if (runtime.Renderer.IsTerminal)
        {
            await runtime.Renderer.LiveAsync(new Spectre.Console.Text($"waiting for rollout {rolloutId}…"), async live =>
            {
                await foreach (var rollout in api.WatchRolloutAsync(rolloutId, cancellationToken))
                {
                    last = rollout;
                    var now = runtime.Time.GetUtcNow();
                    live.UpdateTarget(new Spectre.Console.Rows(
                        new Spectre.Console.Text(RolloutFormatter.Summary(rollout)), RolloutFormatter.Targets(rollout, now)));
                }
            });
        }
        else
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            await foreach (var rollout in api.WatchRolloutAsync(rolloutId, cancellationToken))
            {
                if (last is null || last.State != rollout.State)
                {
                    runtime.Renderer.Line(RolloutFormatter.Summary(rollout));
                }

                last = rollout;
                foreach (var target in rollout.Targets)
                {
                    var line = $"{target.AgentName}: {RolloutFormatter.TargetName(target.State)}" +
                        (target.Step.Length == 0 ? "" : $" {target.Step}") + (target.Detail.Length == 0 ? "" : $" - {target.Detail}");
                    if (!seen.TryGetValue(target.AgentName, out var previous) || previous != line)
                    {
                        seen[target.AgentName] = line;
                        runtime.Renderer.Line(line);
                    }
                }
            }
        }

        if (last is null)
        {
            throw new CliException($"the controller ended the watch of rollout {rolloutId} before sending it");
        }

        foreach (var target in last.Targets.Where(t => t.LogTail.Length > 0))
        {
            runtime.Renderer.Line($"--- {target.AgentName} log tail ---");
            runtime.Renderer.Line(target.LogTail);
        }

        if (runtime.Renderer.IsTerminal || !RolloutFormatter.IsFinal(last.State))
        {
            runtime.Renderer.Line(RolloutFormatter.Summary(last));
        }

        return last.State == RolloutState.Succeeded ? ExitCodes.Ok : ExitCodes.Error;
    }
}
