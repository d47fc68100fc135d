namespace Fleet.Agent.Backups;

/// <summary>The agent-local <c>Backups</c> configuration section.</summary>
internal sealed class BackupsOptions
{
    public const string Section = "Backups";

    /// <summary>Agent name written into manifests and reports. Default: the host name.</summary>
    public string AgentName { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary>Folder for the report outbox. Default /var/lib/fleet-agent/backups.</summary>
    public string StateDirectory { get; set; } = "/var/lib/fleet-agent/backups";

    /// <summary>Folder holding pg_dump, pg_restore and psql. Default: found on PATH.</summary>
    public string? PostgresBinDirectory { get; set; }

    /// <summary>zstd level. Default 3; 1–19.</summary>
    public int CompressionLevel { get; set; } = 3;

    /// <summary>zstd worker threads; 0 compresses on the pipeline's own thread. Default 2; 0–16.</summary>
    public int CompressionWorkers { get; set; } = 2;

    /// <summary>How long a failed or unfinished upload may sit in a store before pruning removes it. Default 6 h.</summary>
    public TimeSpan OrphanGracePeriod { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The declared backups (hosts without apps use an app name such as <c>host</c>).</summary>
    public List<BackupDeclaration> Declarations { get; set; } = [];
}
