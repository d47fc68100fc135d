namespace Fleet.Agent.Backups;

// Event ids 4100–4199 = Backups.
internal sealed partial class BackupService
{
    private static partial class Log
    {
        [LoggerMessage(4100, LogLevel.Information, "Backup {Backup} {BackupId} starting ({Trigger})")]
        public static partial void BackupStarting(ILogger logger, string backup, string backupId, BackupTrigger trigger);

        [LoggerMessage(4101, LogLevel.Information, "Backup {Backup} {BackupId} stored ({SizeBytes} bytes)")]
        public static partial void BackupSucceeded(ILogger logger, string backup, string backupId, long sizeBytes);

        [LoggerMessage(4102, LogLevel.Error, "Backup {Backup} {BackupId} failed: {Error}")]
        public static partial void BackupFailed(ILogger logger, string backup, string backupId, string error, Exception exception);

        [LoggerMessage(4103, LogLevel.Information, "Retention of {Backup} deleted {Count} objects")]
        public static partial void Pruned(ILogger logger, string backup, int count);

        [LoggerMessage(4104, LogLevel.Warning, "Retention of {Backup} failed; it runs again after the next backup")]
        public static partial void PruneFailed(ILogger logger, string backup, Exception exception);

        [LoggerMessage(4105, LogLevel.Warning, "Manifest {Key} is unreadable; its backup counts as failed")]
        public static partial void ManifestUnreadable(ILogger logger, string key, Exception exception);
    }
}
