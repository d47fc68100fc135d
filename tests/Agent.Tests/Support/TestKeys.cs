using Fleet.Core.Trust;

namespace Fleet.Agent.Tests.Support;

/// <summary>Operator keys alice, bob and carol, and trust policies built from them.</summary>
internal sealed class TestKeys : IDisposable
{
    public OperatorKey Alice { get; } = OperatorKey.Generate("alice");

    public OperatorKey Bob { get; } = OperatorKey.Generate("bob");

    public OperatorKey Carol { get; } = OperatorKey.Generate("carol");

    /// <summary>Roots <paramref name="roots"/> (all of them required); staging 1 of alice,bob,carol; production 2 of alice,bob.</summary>
    public TrustPolicy Policy(long version, params OperatorKey[] roots) => TrustPolicy.Create(
        version,
        new[] { Alice, Bob, Carol }.Select(k => new TrustedKey(k.Name, k.PublicKey)),
        Rule(roots.Length, roots),
        new Dictionary<string, ThresholdRule>
        {
            ["staging"] = Rule(1, Alice, Bob, Carol),
            ["production"] = Rule(2, Alice, Bob),
        });

    public static ThresholdRule Rule(int threshold, params IEnumerable<OperatorKey> keys) =>
        new(keys.Select(k => k.KeyId).ToHashSet(StringComparer.Ordinal), threshold);

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
        Carol.Dispose();
    }
}
