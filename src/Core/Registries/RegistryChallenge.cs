namespace Fleet.Core.Registries;

/// <summary>
/// One challenge of a registry's <c>WWW-Authenticate</c> header (RFC 7235): a scheme and its
/// parameters, e.g. <c>Bearer realm="https://auth.example.com/token",service="registry",scope="repository:shop/web:pull"</c>.
/// Parameter names are case-insensitive; values may be quoted, with backslash escapes.
/// </summary>
public sealed class RegistryChallenge
{
    private RegistryChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
    }

    /// <summary>The scheme as the registry wrote it (compare case-insensitively).</summary>
    public string Scheme { get; }

    public IReadOnlyDictionary<string, string> Parameters { get; }

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public string? Parameter(string name) => Parameters.GetValueOrDefault(name);

    /// <summary>Parses the first challenge of a header value; false when it is not one.</summary>
    public static bool TryParse(string? header, out RegistryChallenge challenge)
    {
        challenge = null!;
        var text = header?.Trim() ?? "";
        var schemeEnd = text.IndexOf(' ', StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? text : text[..schemeEnd];
        if (scheme.Length == 0 || !scheme.All(IsTokenChar))
        {
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var at = schemeEnd < 0 ? text.Length : schemeEnd;
        while (at < text.Length)
        {
            at = Skip(text, at, " \t,");
            if (at >= text.Length)
            {
                break;
            }

            var nameStart = at;
            while (at < text.Length && IsTokenChar(text[at]))
            {
                at++;
            }

            var name = text[nameStart..at];
            at = Skip(text, at, " \t");
            if (name.Length == 0 || at >= text.Length || text[at] != '=')
            {
                // A second challenge ("Basic realm=x, Bearer ...") or garbage: keep what was read.
                break;
            }

            at = Skip(text, at + 1, " \t");
            if (!TryReadValue(text, ref at, out var value))
            {
                return false;
            }

            parameters[name] = value;
        }

        challenge = new RegistryChallenge(scheme, parameters);
        return true;
    }

    private static bool TryReadValue(string text, ref int at, out string value)
    {
        value = "";
        if (at < text.Length && text[at] == '"')
        {
            var quoted = new System.Text.StringBuilder();
            for (at++; at < text.Length; at++)
            {
                if (text[at] == '"')
                {
                    at++;
                    value = quoted.ToString();
                    return true;
                }

                if (text[at] == '\\' && at + 1 < text.Length)
                {
                    at++;
                }

                quoted.Append(text[at]);
            }

            return false; // unterminated quote
        }

        var start = at;
        while (at < text.Length && text[at] != ',' && !char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        value = text[start..at];
        return true;
    }

    private static int Skip(string text, int at, string characters)
    {
        while (at < text.Length && characters.Contains(text[at], StringComparison.Ordinal))
        {
            at++;
        }

        return at;
    }

    // RFC 7230 tchar.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
