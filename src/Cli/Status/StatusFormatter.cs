using Fleet.Cli.Agents;
using Fleet.Cli.Backups;
using Fleet.Cli.Certificates;
using Fleet.Cli.Output;
using Fleet.Cli.Webhooks;
using Fleet.Contracts.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Fleet.Cli.Status;

internal static class StatusFormatter
{
    public static FleetStatusJson ToJson(GetFleetStatusResponse status, DateTimeOffset now) => new(
        status.ControllerVersion,
        new FleetCountsJson(status.AgentsTotal, status.AgentsConnected, status.AgentsDown, status.AgentsRevoked, status.AgentsPending),
        AgentFormatter.ToJson(status.Agents).Agents,
        CertificateFormatter.ToJson(status.CertificateProblems, now).Certificates,
        BackupFormatter.ToJson(status.FailedBackups).Runs,
        [.. status.WebhookProblems.Select(p => new WebhookProblemJson(p.Name, p.Retrying, p.Failed, p.LastError, Humanize.Iso(p.LastErrorAt)))]);

    /// <summary>"5 agents: 3 connected, 1 down, 0 revoked, 1 pending".</summary>
    public static string Summary(GetFleetStatusResponse status) =>
        $"{status.AgentsTotal} {(status.AgentsTotal == 1 ? "agent" : "agents")}: {status.AgentsConnected} connected, " +
        $"{status.AgentsDown} down, {status.AgentsRevoked} revoked, {status.AgentsPending} pending";

    public static IRenderable Render(GetFleetStatusResponse status, DateTimeOffset now)
    {
        var version = status.ControllerVersion.Length == 0 ? "" : $" (controller {status.ControllerVersion})";
        var heading = new Text(Summary(status) + version);
        var body = status.Agents.Count == 0
            ? new Text("No agents enrolled yet: create a join token with fleetctl tokens create --role agent-join")
            : (IRenderable)AgentFormatter.Table(status.Agents, now);
        return new Rows([heading, body, .. CertificateProblems(status, now), .. BackupProblems(status, now), .. WebhookProblems(status)]);
    }

    // One line per certificate expiring within 14 days or whose last renewal failed.
    private static IEnumerable<IRenderable> CertificateProblems(GetFleetStatusResponse status, DateTimeOffset now) =>
        status.CertificateProblems.Select(c => new Text("problem: " + CertificateFormatter.Problem(c, now), new Style(Color.Red)));

    // One line per declaration whose latest backup or verify failed.
    private static IEnumerable<IRenderable> BackupProblems(GetFleetStatusResponse status, DateTimeOffset now) =>
        status.FailedBackups.Select(run => new Text("problem: " + BackupFormatter.Problem(run, now), new Style(Color.Red)));

    // One line per webhook whose deliveries are retrying or were given up.
    private static IEnumerable<IRenderable> WebhookProblems(GetFleetStatusResponse status) =>
        status.WebhookProblems.Select(p => new Text("problem: " + WebhookFormatter.Problem(p), new Style(Color.Red)));
}
