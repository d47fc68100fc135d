using Fleet.Contracts.V1;
using Fleet.Core.Transport;

namespace Fleet.Controller.Operators;

/// <summary>A row of the tokens table.</summary>
internal sealed record StoredToken(
    string Id, byte[] SecretHash, TokenRole Role, string Description,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, int? MaxUses, int Uses, DateTimeOffset? RevokedAt = null)
{
    /// <summary>Why this token cannot be used now with <paramref name="secret"/>, or null when it can.</summary>
    public string? WhyUnusable(string secret, DateTimeOffset now)
    {
        if (!ApiToken.Matches(secret, SecretHash))
        {
            return "the token is not valid";
        }

        if (RevokedAt is { } revoked)
        {
            return $"the token was revoked at {revoked.UtcDateTime:u}";
        }

        if (ExpiresAt is { } expires && expires <= now)
        {
            return $"the token expired at {expires.UtcDateTime:u}";
        }

        if (MaxUses is { } max && Uses >= max)
        {
            return $"the token was already used ({Uses} of {max} uses)";
        }

        return null;
    }
}
