using Fleet.Contracts.V1;

namespace Fleet.Cli.Tokens;

internal static class TokenRoles
{
    private static readonly (string Name, TokenRole Role)[] All =
    [
        ("agent-join", TokenRole.AgentJoin),
        ("viewer", TokenRole.Viewer),
        ("deployer", TokenRole.Deployer),
        ("admin", TokenRole.Admin),
    ];

    public static string Names => string.Join(", ", All.Select(r => r.Name));

    public static bool TryParse(string text, out TokenRole role)
    {
        var match = All.FirstOrDefault(r => r.Name == text);
        role = match.Role;
        return match.Name is not null;
    }

    public static string Name(TokenRole role) =>
        All.FirstOrDefault(r => r.Role == role).Name ?? "unknown";
}
