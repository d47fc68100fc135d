namespace Fleet.Cli.Agents;

/// <summary><c>fleetctl agents list --output json</c>: agents ordered by name.</summary>
internal sealed record AgentListJson(IReadOnlyList<AgentJson> Agents);
