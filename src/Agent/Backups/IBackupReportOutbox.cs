namespace Fleet.Agent.Backups;

/// <summary>
/// Durable queue of backup reports for the controller: each run appends one report (fsynced)
/// whether or not the controller is reachable; the sender reads pending reports in order and
/// acknowledges them once the controller has stored them. Delivery is at-least-once: the
/// controller de-duplicates on (agent, sequence).
/// </summary>
internal interface IBackupReportOutbox
{
    /// <summary>Appends a report, assigning the next sequence (the given one is ignored).</summary>
    Task<BackupReport> AppendAsync(BackupReport report, CancellationToken cancellationToken);

    /// <summary>Reports not yet acknowledged, oldest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<BackupReport>> ReadPendingAsync(int max, CancellationToken cancellationToken);

    /// <summary>Marks every report up to and including the sequence as delivered.</summary>
    Task AcknowledgeAsync(long throughSequence, CancellationToken cancellationToken);
}
