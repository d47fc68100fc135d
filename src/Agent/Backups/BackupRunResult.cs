namespace Fleet.Agent.Backups;

/// <summary>The outcome of one backup, restore or verify; <see cref="Error"/> is operator-facing.</summary>
internal sealed record BackupRunResult(bool Succeeded, BackupManifest? Manifest, string? Error, BackupReport Report);
