using Fleet.Cli.Output;
using Fleet.Contracts.V1;
using Spectre.Console;

namespace Fleet.Cli.Backups;

/// <summary>Maps reported backup runs to tables and json.</summary>
internal static class BackupFormatter
{
    public static BackupRunJson ToJson(string agent, BackupReport r, Google.Protobuf.WellKnownTypes.Timestamp? receivedAt) => new(
        agent,
        r.App,
        r.Name,
        Operation(r.Operation),
        Trigger(r.Trigger),
        r.Succeeded,
        r.BackupId.Length == 0 ? null : r.BackupId,
        r.Error.Length == 0 ? null : r.Error,
        Humanize.Iso(r.StartedAt),
        Humanize.Iso(r.FinishedAt),
        r.SizeBytes,
        r.Sha256.Length == 0 ? null : r.Sha256,
        r.ReleaseSequence == 0 ? null : r.ReleaseSequence,
        Humanize.Iso(receivedAt));

    public static BackupListJson ToJson(IEnumerable<BackupRun> runs) => new([.. runs.Select(r => ToJson(r.Agent, r.Report, r.ReceivedAt))]);

    public static Table Table(IEnumerable<BackupRun> runs, DateTimeOffset now)
    {
        var table = Renderer.Table("AGENT", "BACKUP", "OPERATION", "ID", "RESULT", "SIZE", "FINISHED", "TRIGGER");
        foreach (var run in runs)
        {
            var r = run.Report;
            table.AddRow(
                new Text(run.Agent),
                new Text($"{r.App}/{r.Name}"),
                new Text(Operation(r.Operation)),
                new Text(r.BackupId.Length == 0 ? "-" : r.BackupId),
                r.Succeeded ? new Markup("[green]ok[/]") : new Text("failed: " + r.Error, new Style(Color.Red)),
                new Text(r.SizeBytes == 0 ? "-" : Humanize.Bytes((ulong)r.SizeBytes)),
                new Text(Humanize.Relative(r.FinishedAt, now)),
                new Text(Trigger(r.Trigger)));
        }

        return table;
    }

    /// <summary>"failed backup web-1 shop/db: connection refused (3 minutes ago)".</summary>
    public static string Problem(BackupRun run, DateTimeOffset now) =>
        $"{(run.Report.Trigger == BackupTrigger.Overdue ? "overdue" : "failed")} {Operation(run.Report.Operation)} {run.Agent} {run.Report.App}/{run.Report.Name}: {run.Report.Error} ({Humanize.Relative(run.Report.FinishedAt, now)})";

    public static string Operation(BackupOperation operation) => operation switch
    {
        BackupOperation.Backup => "backup",
        BackupOperation.Verify => "verify",
        BackupOperation.Restore => "restore",
        _ => "unknown",
    };

    private static string Trigger(BackupTrigger trigger) => trigger switch
    {
        BackupTrigger.Schedule => "schedule",
        BackupTrigger.PreDeploy => "pre-deploy",
        BackupTrigger.Manual => "manual",
        BackupTrigger.Overdue => "overdue",
        _ => "unknown",
    };
}
