using Fleet.Core.Naming;

namespace Fleet.Controller.Enrollment;

internal static class AgentName
{
    /// <summary>Why <paramref name="name"/> cannot name an agent, or null when it can.</summary>
    public static string? Validate(string? name) =>
        name is not null && NameRules.DottedName().IsMatch(name)
            ? null
            : $"agent name '{name}' is invalid: use 1-63 lowercase letters, digits, '.' or '-', starting with a letter or digit";

    /// <summary>Labels follow the same rule for keys; values are free text up to 256 characters.</summary>
    public static string? ValidateLabels(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in labels)
        {
            if (!NameRules.DottedName().IsMatch(key))
            {
                return $"label key '{key}' is invalid: use 1-63 lowercase letters, digits, '.' or '-'";
            }

            if (value.Length > 256)
            {
                return $"label '{key}' is longer than 256 characters";
            }
        }

        return labels.Count > 64 ? "an agent can carry at most 64 labels" : null;
    }
}
