using System.Security.Cryptography;
using System.Text;

namespace Fleet.Core.Transport;

/// <summary>
/// Secrets handed to people look like <c>fleet_&lt;kind&gt;_&lt;id&gt;_&lt;secret&gt;</c>: the id finds the
/// row, the secret is checked against its stored SHA-256. The secrets are 256 random bits, so a
/// fast hash is enough: there is nothing to brute-force.
/// </summary>
public static class ApiToken
{
    public const string ApiKind = "api";
    public const string JoinKind = "join";

    public static (string Id, string Secret, string Token) Create(string kind)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (id, secret, $"fleet_{kind}_{id}_{secret}");
    }

    public static bool TryParse(string? token, string kind, out string id, out string secret)
    {
        id = "";
        secret = "";
        var parts = (token ?? "").Trim().Split('_', 4);
        if (parts.Length != 4 || parts[0] != "fleet" || parts[1] != kind || parts[2].Length != 16 || parts[3].Length < 32)
        {
            return false;
        }

        id = parts[2];
        secret = parts[3];
        return true;
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    public static bool Matches(string secret, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(secret), storedHash);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
