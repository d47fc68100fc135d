using Fleet.Contracts.V1;

namespace Fleet.Controller.Operators;

/// <summary>Roles as stored in the tokens table, and what each may do: viewer &lt; deployer &lt; admin.</summary>
internal static class TokenRoles
{
    public static string ToName(TokenRole role) => role switch
    {
        TokenRole.Viewer => "viewer",
        TokenRole.Deployer => "deployer",
        TokenRole.Admin => "admin",
        TokenRole.AgentJoin => "agent-join",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "a token needs a role: viewer, deployer, admin or agent-join"),
    };

    public static TokenRole FromName(string name) => name switch
    {
        "viewer" => TokenRole.Viewer,
        "deployer" => TokenRole.Deployer,
        "admin" => TokenRole.Admin,
        "agent-join" => TokenRole.AgentJoin,
        _ => TokenRole.Unspecified,
    };

    public static bool IsApiRole(TokenRole role) => Rank(role) > 0;

    /// <summary>Whether a token with role <paramref name="held"/> may call something that needs <paramref name="needed"/>.</summary>
    public static bool Satisfies(TokenRole held, TokenRole needed) => IsApiRole(held) && Rank(held) >= Rank(needed);

    private static int Rank(TokenRole role) => role switch
    {
        TokenRole.Viewer => 1,
        TokenRole.Deployer => 2,
        TokenRole.Admin => 3,
        _ => 0,
    };
}
