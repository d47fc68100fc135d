using Fleet.Core.Naming;

namespace Fleet.Agent.Identity;

/// <summary>
/// Syntax of agent names and labels, checked before anything is sent or written. The rules are
/// the controller's (src/Controller/Enrollment/AgentName.cs): label keys follow the name rule,
/// values are free text up to 256 characters, at most 64 labels.
/// </summary>
internal static class AgentNames
{
    public const int MaxLabelValueLength = 256;
    public const int MaxLabels = 64;

    public static bool TryValidateName(string? name, out string error)
    {
        error = NameRules.DottedName().IsMatch(name ?? "")
            ? ""
            : $"the agent name '{name}' is not valid: use 1-63 lowercase letters, digits, '.' or '-', starting with a letter or digit";
        return error.Length == 0;
    }

    /// <summary>Parses <c>key=value</c> (the value may be empty or contain '=').</summary>
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
        if (!NameRules.DottedName().IsMatch(key))
        {
            error = $"the label key '{key}' is not valid: use 1-63 lowercase letters, digits, '.' or '-', starting with a letter or digit";
            return false;
        }

        if (value.Length > MaxLabelValueLength || value.Any(char.IsControl))
        {
            error = $"the value of label '{key}' is not valid: use up to {MaxLabelValueLength} printable characters";
            return false;
        }

        error = "";
        return true;
    }
}
