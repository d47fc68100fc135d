namespace Fleet.Cli.Backups;

/// <summary>One reported backup, verify or restore run (json-output.md, "backups").</summary>
internal sealed record BackupRunJson(
    string Agent,
    string App,
    string Name,
    string Operation,
    string Trigger,
    bool Succeeded,
    string? BackupId,
    string? Error,
    string? StartedAt,
    string? FinishedAt,
    long SizeBytes,
    string? Sha256,
    long? ReleaseSequence,
    string? ReceivedAt);

/// <summary><c>fleetctl backups list --output json</c>: newest first.</summary>
internal sealed record BackupListJson(IReadOnlyList<BackupRunJson> Runs);

/// <summary><c>fleetctl backups run|restore|verify --output json</c>: what the agent did.</summary>
internal sealed record BackupCommandJson(string Detail, BackupRunJson Run);
