using System.Globalization;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;
using Spectre.Console;

namespace Fleet.Cli.Rollouts;

internal static class RolloutFormatter
{
    public static string StateName(RolloutState state) => state switch
    {
        RolloutState.AwaitingApproval => "awaiting-approval",
        RolloutState.Running => "running",
        RolloutState.Paused => "paused",
        RolloutState.Succeeded => "succeeded",
        RolloutState.Failed => "failed",
        RolloutState.Aborted => "aborted",
        RolloutState.Superseded => "superseded",
        RolloutState.AwaitingPromotion => "awaiting-promotion",
        RolloutState.Expired => "expired",
        _ => "unknown",
    };

    public static string TargetName(TargetState state) => state switch
    {
        TargetState.Waiting => "waiting",
        TargetState.Applying => "applying",
        TargetState.Verifying => "verifying",
        TargetState.Done => "done",
        TargetState.Failed => "failed",
        TargetState.Refused => "refused",
        TargetState.Reverting => "reverting",
        TargetState.Reverted => "reverted",
        TargetState.Untouched => "untouched",
        TargetState.Pending => "pending",
        _ => "unknown",
    };

    /// <summary>True once the rollout can no longer change.</summary>
    public static bool IsFinal(RolloutState state) =>
        state is RolloutState.Succeeded or RolloutState.Failed or RolloutState.Aborted or RolloutState.Superseded or RolloutState.Expired;

    public static RolloutJson ToJson(Rollout rollout) => new(
        rollout.RolloutId, rollout.ReleaseId, rollout.App, rollout.Environment, rollout.Sequence, StateName(rollout.State),
        rollout.Strategy, rollout.Reason.Length == 0 ? null : rollout.Reason, Humanize.Iso(rollout.StartedAt), Humanize.Iso(rollout.FinishedAt),
        [.. rollout.Targets.Select(t => new RolloutTargetJson(
            t.AgentName, TargetName(t.State), t.Wave, t.Step.Length == 0 ? null : t.Step, t.Detail.Length == 0 ? null : t.Detail,
            t.LogTail.Length == 0 ? null : t.LogTail, t.PreviousSequence, Humanize.Iso(t.UpdatedAt)))]);

    public static string Summary(Rollout rollout) =>
        $"rollout {rollout.RolloutId} {rollout.App}/{rollout.Environment} #{rollout.Sequence.ToString(CultureInfo.InvariantCulture)} " +
        $"({rollout.Strategy}): {StateName(rollout.State)}{(rollout.Reason.Length == 0 ? "" : $" - {rollout.Reason}")}";

    /// <summary>"10 agent(s): 1 applying, 9 waiting" from the rollout's target counts.</summary>
    public static string Counts(Rollout rollout) =>
        string.Create(CultureInfo.InvariantCulture, $"{rollout.TargetCounts.Sum(c => c.Count)} agent(s)") +
        (rollout.TargetCounts.Count == 0 ? "" : ": " + string.Join(", ", rollout.TargetCounts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Count} {TargetName(c.State)}"))));

    public static Table Targets(Rollout rollout, DateTimeOffset now)
    {
        var table = Renderer.Table("AGENT", "WAVE", "STATE", "STEP", "DETAIL", "UPDATED");
        foreach (var target in rollout.Targets)
        {
            table.AddRow(
                new Text(target.AgentName), new Text(target.Wave.ToString(CultureInfo.InvariantCulture)), new Text(TargetName(target.State)),
                new Text(target.Step), new Text(target.Detail), new Text(Humanize.Relative(target.UpdatedAt, now)));
        }

        return table;
    }

    public static void Print(Renderer renderer, Rollout rollout, DateTimeOffset now)
    {
        renderer.Line(Summary(rollout));
        if (rollout.Targets.Count == 0)
        {
            renderer.Line("no agents targeted (none carries env=" + rollout.Environment + " and the target labels)");
            return;
        }

        renderer.Write(Targets(rollout, now));
        foreach (var target in rollout.Targets.Where(t => t.LogTail.Length > 0))
        {
            renderer.Line($"--- {target.AgentName} log tail ---");
            renderer.Line(target.LogTail);
        }
    }
}
