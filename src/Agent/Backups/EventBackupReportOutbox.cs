using Fleet.Agent.Events;
using Google.Protobuf.WellKnownTypes;
using Proto = Fleet.Contracts.V1;

namespace Fleet.Agent.Backups;

/// <summary>Writes each report as an AgentEvent of kind BACKUP to the agent's <see cref="EventOutbox"/>.</summary>
internal sealed class EventBackupReportOutbox(EventOutbox outbox) : IBackupReportOutbox
{
    public async Task<BackupReport> AppendAsync(BackupReport report, CancellationToken cancellationToken)
    {
        var written = await outbox.AppendAsync(ToEvent(report), cancellationToken);
        return report with { Sequence = written.Sequence };
    }

    internal static Proto.AgentEvent ToEvent(BackupReport report) => new()
    {
        At = Timestamp.FromDateTimeOffset(report.FinishedAt),
        App = report.App,
        ReleaseSequence = report.ReleaseSequence ?? 0,
        Kind = Proto.AgentEventKind.Backup,
        Step = report.Name,
        Detail = report.Succeeded ? $"{report.Operation} {report.App}/{report.Name} {report.BackupId} ok" : report.Error ?? "",
        Bytes = report.SizeBytes ?? 0,
        Backup = ToProto(report),
    };

    internal static Proto.BackupReport ToProto(BackupReport report) => new()
    {
        Operation = report.Operation switch
        {
            BackupOperation.Backup => Proto.BackupOperation.Backup,
            BackupOperation.Verify => Proto.BackupOperation.Verify,
            _ => Proto.BackupOperation.Restore,
        },
        Trigger = report.Trigger switch
        {
            BackupTrigger.Schedule => Proto.BackupTrigger.Schedule,
            BackupTrigger.PreDeploy => Proto.BackupTrigger.PreDeploy,
            BackupTrigger.Overdue => Proto.BackupTrigger.Overdue,
            _ => Proto.BackupTrigger.Manual,
        },
        App = report.App,
        Name = report.Name,
        Succeeded = report.Succeeded,
        BackupId = report.BackupId ?? "",
        Error = report.Error ?? "",
        StartedAt = Timestamp.FromDateTimeOffset(report.StartedAt),
        FinishedAt = Timestamp.FromDateTimeOffset(report.FinishedAt),
        SizeBytes = report.SizeBytes ?? 0,
        Sha256 = report.Sha256 ?? "",
        ReleaseSequence = report.ReleaseSequence ?? 0,
    };
}
