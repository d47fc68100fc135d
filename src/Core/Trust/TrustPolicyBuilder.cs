namespace Fleet.Core.Trust;

/// <summary>Builds a policy from key names, as <c>fleetctl trust init</c> receives them.</summary>
public static class TrustPolicyBuilder
{
    /// <summary>
    /// Resolves every name through <paramref name="knownKeys"/> (the operator's key folder, with
    /// other operators' public keys imported) and keeps only the keys the policy uses.
    /// <paramref name="maxValidity"/> limits how long releases of some environments may be valid.
    /// Throws <see cref="ArgumentException"/> for an unknown name or an invalid policy.
    /// </summary>
    public static TrustPolicy Build(
        long version,
        IReadOnlyList<string> rootKeyNames,
        int rootThreshold,
        IReadOnlyList<EnvironmentRuleSpec> environments,
        IEnumerable<OperatorKeyInfo> knownKeys,
        DateTimeOffset? expiresAt = null,
        IReadOnlyDictionary<string, TimeSpan>? maxValidity = null)
    {
        ArgumentNullException.ThrowIfNull(rootKeyNames);
        ArgumentNullException.ThrowIfNull(environments);
        ArgumentNullException.ThrowIfNull(knownKeys);
        var byName = knownKeys.ToDictionary(k => k.Name, StringComparer.Ordinal);
        var root = new ThresholdRule(
            rootKeyNames.Select(name => EnvironmentRuleSpec.KeyIdOf(byName, name, "root")).ToHashSet(StringComparer.Ordinal),
            rootThreshold);
        var duplicate = environments.GroupBy(e => e.Environment, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"environment '{duplicate.Key}' is given more than once");
        }

        var rules = environments.ToDictionary(e => e.Environment, e => e.ToRule(byName), StringComparer.Ordinal);
        var used = rootKeyNames.Concat(environments.SelectMany(e => e.KeyNames)).ToHashSet(StringComparer.Ordinal);
        return TrustPolicy.Create(
            version,
            used.Select(name => new TrustedKey(name, byName[name].PublicKey)),
            root,
            rules,
            expiresAt,
            maxValidity);
    }
}
