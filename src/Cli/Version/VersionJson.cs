namespace Fleet.Cli.Version;

/// <summary><c>fleetctl version --output json</c>.</summary>
internal sealed record VersionJson(string Version);
