using System.Net;

namespace Fleet.Agent.Hosting;

/// <summary>Options of `fleet-agent run`.</summary>
/// <param name="StateDir">Folder holding the identity (default /var/lib/fleet-agent).</param>
/// <param name="MetricsListen">Prometheus scrape address, or null when `--metrics-listen off`.</param>
internal sealed record AgentRunOptions(string StateDir, IPEndPoint? MetricsListen);
