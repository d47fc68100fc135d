namespace Fleet.Agent.Backups;

/// <summary>The outcome of one backup, restore or verify; <see cref="Error"/> is operator-facing.</summary>
internal sealed record BackupRunResult(bool Succeeded, BackupManifest? Manifest, string? Error, BackupReport Report);

/// <summary>The pre-deploy backups of one release: <see cref="MayProceed"/> is false when a required one failed (<see cref="Reason"/> says which).</summary>
internal sealed record PreDeployBackupResult(bool MayProceed, string? Reason, IReadOnlyList<BackupRunResult> Runs);
