using Fleet.Cli.Output;
using Fleet.Contracts.V1;
using Spectre.Console;

namespace Fleet.Cli.Tokens;

internal static class TokenFormatter
{
    public static string State(TokenInfo token, DateTimeOffset now) =>
        token.RevokedAt is not null ? "revoked"
        : token.ExpiresAt is { } expires && expires.ToDateTimeOffset() <= now ? "expired"
        : token.MaxUses > 0 && token.Uses >= token.MaxUses ? "used-up"
        : "active";

    public static TokenJson ToJson(TokenInfo token, DateTimeOffset now) => new(
        token.TokenId, TokenRoles.Name(token.Role), token.Description, State(token, now), Humanize.Iso(token.CreatedAt), Humanize.Iso(token.ExpiresAt),
        token.MaxUses == 0 ? null : token.MaxUses, token.Uses, Humanize.Iso(token.RevokedAt));

    public static Table Table(IEnumerable<TokenInfo> tokens, DateTimeOffset now)
    {
        var table = Renderer.Table("ID", "ROLE", "STATE", "DESCRIPTION", "CREATED", "EXPIRES", "USES");
        foreach (var token in tokens)
        {
            table.AddRow(
                token.TokenId, TokenRoles.Name(token.Role), State(token, now), Markup.Escape(token.Description),
                Humanize.Relative(token.CreatedAt, now), token.ExpiresAt is null ? "never" : Humanize.Relative(token.ExpiresAt, now),
                token.MaxUses == 0 ? $"{token.Uses}" : $"{token.Uses}/{token.MaxUses}");
        }

        return table;
    }
}
