namespace Fleet.Cli.Tokens;

/// <summary>
/// One token in <c>fleetctl tokens list|revoke --output json</c> (never its secret): state is active,
/// expired, used-up or revoked; maxUses is null when not limited; times ISO-8601 UTC or null.
/// </summary>
internal sealed record TokenJson(
    string TokenId, string Role, string Description, string State, string? CreatedAt, string? ExpiresAt, int? MaxUses, int Uses, string? RevokedAt);

internal sealed record TokenListJson(IReadOnlyList<TokenJson> Tokens);
