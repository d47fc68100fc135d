namespace Fleet.Cli.Config;

/// <summary>One context in <c>fleetctl context list --output json</c>; the token is never shown.</summary>
internal sealed record ContextJson(string Name, string Controller, string CaPin, bool Current);
