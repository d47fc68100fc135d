using Fleet.Cli.Agents;
using Fleet.Cli.Backups;
using Fleet.Cli.Certificates;
using Fleet.Cli.Webhooks;

namespace Fleet.Cli.Status;

/// <summary><c>fleetctl status --output json</c>: the counts, every agent ordered by name, then the problems (certificates, backups, webhooks whose deliveries fail).</summary>
internal sealed record FleetStatusJson(string ControllerVersion, FleetCountsJson Counts, IReadOnlyList<AgentJson> Agents, IReadOnlyList<CertificateJson> CertificateProblems, IReadOnlyList<BackupRunJson> FailedBackups, IReadOnlyList<WebhookProblemJson> WebhookProblems);
