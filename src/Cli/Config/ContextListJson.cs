namespace Fleet.Cli.Config;

/// <summary><c>fleetctl context list --output json</c>: contexts ordered by name.</summary>
internal sealed record ContextListJson(string? CurrentContext, IReadOnlyList<ContextJson> Contexts);
