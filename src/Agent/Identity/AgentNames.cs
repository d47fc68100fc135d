using System.Text.RegularExpressions;

namespace Fleet.Agent.Identity;

/// <summary>Syntax of agent names and labels, checked before anything is sent or written.</summary>
internal static partial class AgentNames
{
    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,62}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$")]
    private static partial Regex LabelKeyPattern();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelValuePattern();

    public static bool TryValidateName(string? name, out string error)
    {
        error = NamePattern().IsMatch(name ?? "")
            ? ""
            : $"the agent name '{name}' is not valid: use 1-63 lowercase letters, digits, '.' or '-', starting with a letter or digit";
        return error.Length == 0;
    }

    /// <summary>Parses <c>key=value</c>; keys are lowercase, values may be empty.</summary>
    public static bool TryParseLabel(string text, out string key, out string value, out string error)
    {
        key = "";
        value = "";
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            error = $"the label '{text}' is not valid: write it as key=value";
            return false;
        }

        key = text[..equals];
        value = text[(equals + 1)..];
        if (!LabelKeyPattern().IsMatch(key))
        {
            error = $"the label key '{key}' is not valid: use 1-63 lowercase letters, digits, '.', '_', '/' or '-', starting and ending with a letter or digit";
            return false;
        }

        if (value.Length > 0 && !LabelValuePattern().IsMatch(value))
        {
            error = $"the value of label '{key}' is not valid: use up to 63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit";
            return false;
        }

        error = "";
        return true;
    }
}
