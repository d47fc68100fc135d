using Fleet.Core.Trust;

namespace Fleet.Integration.Tests.Releases;

/// <summary>Operator keys held in memory for tests, and trust policies built from them.</summary>
internal sealed class OperatorKeys : IDisposable
{
    private readonly Dictionary<string, OperatorKey> _keys = new(StringComparer.Ordinal);

    public OperatorKey this[string name]
    {
        get
        {
            if (!_keys.TryGetValue(name, out var key))
            {
                key = OperatorKey.Generate(name);
                _keys[name] = key;
            }

            return key;
        }
    }

    /// <summary>A policy with <paramref name="roots"/> (threshold <paramref name="rootThreshold"/>) and the environment rules given, signed by <paramref name="signers"/>.</summary>
    public byte[] Policy(long version, string[] roots, int rootThreshold, IEnumerable<EnvironmentRuleSpec> environments, params string[] signers)
    {
        var rules = environments.ToList();
        var names = roots.Concat(rules.SelectMany(r => r.KeyNames)).Concat(signers).Distinct(StringComparer.Ordinal).ToList();
        var known = names.Select(n => new OperatorKeyInfo(n, this[n].KeyId, this[n].PublicKey)).ToList();
        var policy = TrustPolicyBuilder.Build(version, roots, rootThreshold, rules, known);
        return policy.Sign(signers.Select(n => this[n])).ToJson();
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
