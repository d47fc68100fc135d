namespace Fleet.Cli.Config;

/// <summary>One controller an operator talks to, as saved by <c>fleetctl login</c>.</summary>
/// <param name="Controller">The controller's https URL.</param>
/// <param name="CaPin">The pin of the controller's CA, <c>sha256:…</c>.</param>
/// <param name="Token">The operator API token, <c>fleet_api_…</c>. Secret.</param>
internal sealed record ControllerContext(string Controller, string CaPin, string Token);
