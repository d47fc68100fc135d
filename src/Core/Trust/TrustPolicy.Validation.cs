using Fleet.Core.Releases;
using Fleet.Core.Naming;

namespace Fleet.Core.Trust;

public sealed partial class TrustPolicy
{
    /// <summary>Bounds of an environment's max_validity: a release must live long enough to roll out, and not forever.</summary>
    public static readonly TimeSpan MinMaxValidity = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxMaxValidity = TimeSpan.FromDays(366);

    private static List<string> Validate(
        long version,
        List<TrustedKey> keys,
        ThresholdRule root,
        IReadOnlyDictionary<string, ThresholdRule> environments,
        IReadOnlyDictionary<string, TimeSpan> maxValidity)
    {
        var errors = new List<string>();
        if (version < 1)
        {
            errors.Add($"version must be at least 1, got {version}");
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!known.Add(key.KeyId))
            {
                errors.Add($"key {key.KeyId} is listed twice");
            }
        }

        foreach (var duplicate in keys.GroupBy(k => k.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"key name '{duplicate.Key}' is used by {duplicate.Count()} keys");
        }

        ValidateRule("root", root, known, errors);
        if (environments.Count == 0)
        {
            errors.Add("at least one environment is required");
        }

        foreach (var (name, rule) in environments)
        {
            if (!NameRules.Name().IsMatch(name))
            {
                errors.Add($"environment name '{name}' is invalid (lowercase letters, digits and '-', at most 63)");
            }

            ValidateRule($"environment '{name}'", rule, known, errors);
        }

        foreach (var (name, max) in maxValidity)
        {
            if (!environments.ContainsKey(name))
            {
                errors.Add($"max_validity names environment '{name}', which has no rule");
            }
            else if (max < MinMaxValidity || max > MaxMaxValidity)
            {
                errors.Add($"environment '{name}' max_validity must be between {Duration.Format(MinMaxValidity)} and " +
                    $"{Duration.Format(MaxMaxValidity)}, got {Duration.Format(max)}");
            }
        }

        return errors;
    }

    private static void ValidateRule(string what, ThresholdRule rule, HashSet<string> known, List<string> errors)
    {
        if (rule.KeyIds.Count == 0)
        {
            errors.Add($"{what} lists no keys");
        }

        errors.AddRange(rule.KeyIds.Where(id => !known.Contains(id)).Select(id => $"{what} names unknown key {id}"));
        if (rule.Threshold < 1 || rule.Threshold > rule.KeyIds.Count)
        {
            errors.Add($"{what} threshold must be between 1 and {rule.KeyIds.Count}, got {rule.Threshold}");
        }
    }
}
