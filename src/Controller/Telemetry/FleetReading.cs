namespace Fleet.Controller.Telemetry;

/// <summary>deployments_total for one app, environment and outcome (rollouts ever finished that way).</summary>
internal sealed record DeploymentCount(string App, string Environment, string Status, long Count);

/// <summary>The latest heartbeat the database holds for one agent that is not revoked.</summary>
internal sealed record AgentHeartbeat(string Agent, DateTimeOffset LastSeen);

/// <summary>
/// One backup declaration on one agent: its newest successful backup and its newest verify (null
/// when there was none).
/// </summary>
internal sealed record BackupDeclaration(
    string Agent, string App, string Backup, DateTimeOffset? LastSuccessAt, long LastSuccessBytes, DateTimeOffset? LastVerifyAt, bool LastVerifySucceeded);

/// <summary>When one certificate on one agent expires.</summary>
internal sealed record CertificateExpiry(string Agent, string Certificate, DateTimeOffset NotAfter);

/// <summary>The fleet-wide state behind the controller's gauges, read from the database at one instant.</summary>
internal sealed record FleetReading(
    DateTimeOffset ReadAt,
    IReadOnlyList<DeploymentCount> Deployments,
    IReadOnlyDictionary<string, long> AgentsByState,
    IReadOnlyList<AgentHeartbeat> Heartbeats,
    IReadOnlyList<BackupDeclaration> Backups,
    IReadOnlyList<CertificateExpiry> Certificates)
{
    public static readonly FleetReading Empty = new(DateTimeOffset.MinValue, [], new Dictionary<string, long>(), [], [], []);
}
