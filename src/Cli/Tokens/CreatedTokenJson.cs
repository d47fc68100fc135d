namespace Fleet.Cli.Tokens;

/// <summary>
/// <c>fleetctl tokens create --output json</c>: role is agent-join, viewer, deployer or admin; token
/// is the whole secret, shown only this once; expiresAt is ISO-8601 UTC, or null for never.
/// </summary>
internal sealed record CreatedTokenJson(string TokenId, string Role, string Token, string? ExpiresAt);
