namespace Fleet.Agent.Backups;

/// <summary>
/// Where every backup, verify and restore run's report goes, whether or not the controller is
/// reachable: the agent's one event outbox (<see cref="EventBackupReportOutbox"/>), which delivers
/// it at least once after (re)connecting; the controller de-duplicates on (agent, sequence).
/// </summary>
internal interface IBackupReportOutbox
{
    /// <summary>Appends a report durably; returns it with the sequence it got (the given one is ignored).</summary>
    Task<BackupReport> AppendAsync(BackupReport report, CancellationToken cancellationToken);
}
