using Fleet.Cli.Agents;

namespace Fleet.Cli.Status;

/// <summary><c>fleetctl status --output json</c>: the counts, then every agent ordered by name.</summary>
internal sealed record FleetStatusJson(string ControllerVersion, FleetCountsJson Counts, IReadOnlyList<AgentJson> Agents);
