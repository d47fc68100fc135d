namespace Fleet.Core.Releases;

/// <summary>The agent's own identity, as far as releases are concerned.</summary>
public sealed record AgentTarget(string Environment, IReadOnlyDictionary<string, string> Labels);

/// <summary>The key for "last applied sequence": one stream of releases per app and environment.</summary>
public readonly record struct AppEnvironment(string App, string Environment);
