using Fleet.Cli.Agents;

namespace Fleet.Cli.Status;

/// <summary><c>fleetctl status --output json</c>: the counts, every agent ordered by name, then the problems to look at.</summary>
internal sealed record FleetStatusJson(string ControllerVersion, FleetCountsJson Counts, IReadOnlyList<AgentJson> Agents, IReadOnlyList<ProblemJson> Problems);
