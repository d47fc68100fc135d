using System.Text.RegularExpressions;

namespace Fleet.Cli.Parsing;

/// <summary>
/// A label selector: <c>key=value</c> pairs, given as repeated options and/or separated by
/// commas, that must all match.
/// </summary>
internal static partial class LabelSelector
{
    public static bool TryParse(IEnumerable<string> texts, out IReadOnlyDictionary<string, string> selector, out string error)
    {
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        selector = pairs;
        error = "";
        foreach (var part in texts.SelectMany(t => t.Split(',')))
        {
            var pair = part.Trim();
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"'{pair}' is not a label selector: use key=value, e.g. --selector env=staging";
                return false;
            }

            var key = pair[..equals];
            var value = pair[(equals + 1)..];
            if (!KeyPattern().IsMatch(key))
            {
                error = $"'{key}' is not a valid label key: use letters, digits, '.', '_', '-' or '/', starting with a letter or digit";
                return false;
            }

            if (!ValuePattern().IsMatch(value))
            {
                error = $"'{value}' is not a valid value for label '{key}': use letters, digits, '.', '_' or '-'";
                return false;
            }

            if (pairs.TryGetValue(key, out var existing) && existing != value)
            {
                error = $"the selector asks for label '{key}' to be both '{existing}' and '{value}'";
                return false;
            }

            pairs[key] = value;
        }

        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}\z")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{0,63}\z")]
    private static partial Regex ValuePattern();
}
