using System.Globalization;
using Fleet.Core.Naming;

namespace Fleet.Core.Trust;

/// <summary>
/// An environment rule as typed on the command line: <c>production=alice,bob:2</c> means keys
/// named alice and bob count for production, and 2 distinct ones must sign.
/// </summary>
public sealed record EnvironmentRuleSpec(string Environment, IReadOnlyList<string> KeyNames, int Threshold)
{
    /// <summary>Parses <c>ENV=NAME[,NAME...]:THRESHOLD</c>; throws <see cref="FormatException"/> naming the mistake.</summary>
    public static EnvironmentRuleSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var colon = text.LastIndexOf(':');
        if (equals <= 0 || colon < equals)
        {
            throw new FormatException($"'{text}' is not ENV=KEY[,KEY...]:THRESHOLD, e.g. production=alice,bob:2");
        }

        var environment = text[..equals];
        var names = text[(equals + 1)..colon].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (!NameRules.Name().IsMatch(environment))
        {
            throw new FormatException($"'{environment}' is not a valid environment name (lowercase letters, digits and '-')");
        }

        if (names.Length == 0)
        {
            throw new FormatException($"'{text}' names no keys");
        }

        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var threshold)
            || threshold < 1 || threshold > names.Distinct(StringComparer.Ordinal).Count())
        {
            throw new FormatException($"'{text}': the threshold must be a number between 1 and the number of distinct keys");
        }

        return new EnvironmentRuleSpec(environment, names, threshold);
    }

    /// <summary>The rule with key names replaced by key ids; throws <see cref="ArgumentException"/> for a name not in <paramref name="keysByName"/>.</summary>
    public ThresholdRule ToRule(IReadOnlyDictionary<string, OperatorKeyInfo> keysByName)
    {
        ArgumentNullException.ThrowIfNull(keysByName);
        var ids = KeyNames.Select(name => KeyIdOf(keysByName, name, $"environment '{Environment}'"));
        return new ThresholdRule(ids.ToHashSet(StringComparer.Ordinal), Threshold);
    }

    internal static string KeyIdOf(IReadOnlyDictionary<string, OperatorKeyInfo> keysByName, string name, string usedBy) =>
        keysByName.TryGetValue(name, out var key)
            ? key.KeyId
            : throw new ArgumentException($"{usedBy} names unknown key '{name}'; generate it or import its public key first");
}
