using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

public sealed class TrustPolicyBuilderTests : IDisposable
{
    private readonly TestTrust _trust = new();

    [Fact]
    public void Build_IssueExample_RootsAndEnvironmentsByKeyId()
    {
        var policy = TrustPolicyBuilder.Build(
            1,
            ["alice", "bob"],
            2,
            [EnvironmentRuleSpec.Parse("staging=alice,bob:1"), EnvironmentRuleSpec.Parse("production=alice,bob:2")],
            Known(_trust.Alice, _trust.Bob, _trust.Carol));

        Assert.True(policy.Root.KeyIds.SetEquals([_trust.Alice.KeyId, _trust.Bob.KeyId]));
        Assert.Equal(2, policy.Root.Threshold);
        Assert.Equal(1, policy.Environments["staging"].Threshold);
        Assert.Equal(2, policy.Environments["production"].Threshold);
        Assert.Equal(["alice", "bob"], policy.Keys.Values.Select(k => k.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_MaxValidityForProduction_OnlyProductionLimited()
    {
        var policy = TrustPolicyBuilder.Build(
            1, ["alice"], 1, [EnvironmentRuleSpec.Parse("staging=alice:1"), EnvironmentRuleSpec.Parse("production=alice:1")],
            Known(_trust.Alice), maxValidity: new Dictionary<string, TimeSpan> { ["production"] = TimeSpan.FromHours(48) });

        Assert.Equal(TimeSpan.FromHours(48), policy.MaxValidityFor("production"));
        Assert.Equal(TrustPolicy.DefaultMaxValidity, policy.MaxValidityFor("staging"));
    }

    [Fact]
    public void Build_SignedByBothRoots_InstallsAsFirstPolicy()
    {
        var policy = TrustPolicyBuilder.Build(1, ["alice", "bob"], 2, [EnvironmentRuleSpec.Parse("staging=alice:1")], Known(_trust.Alice, _trust.Bob));

        var decision = TrustPolicyRotation.Evaluate(null, policy.Sign([_trust.Alice, _trust.Bob]).ToJson(), allowFirstInstall: true, TestTrust.Now);

        Assert.True(decision.IsAccepted, decision.Message);
    }

    [Fact]
    public void Build_UnknownRootName_RefusedNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            TrustPolicyBuilder.Build(1, ["alice", "zed"], 1, [EnvironmentRuleSpec.Parse("staging=alice:1")], Known(_trust.Alice)));

        Assert.Contains("root names unknown key 'zed'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameEnvironmentTwice_Refused()
    {
        Assert.Throws<ArgumentException>(() => TrustPolicyBuilder.Build(
            1, ["alice"], 1, [EnvironmentRuleSpec.Parse("staging=alice:1"), EnvironmentRuleSpec.Parse("staging=alice:1")], Known(_trust.Alice)));
    }

    [Fact]
    public void Build_RootThresholdAboveRootCount_Refused()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            TrustPolicyBuilder.Build(1, ["alice"], 2, [EnvironmentRuleSpec.Parse("staging=alice:1")], Known(_trust.Alice)));

        Assert.Contains("root threshold must be between 1 and 1", ex.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<OperatorKeyInfo> Known(params OperatorKey[] keys) =>
        keys.Select(k => new OperatorKeyInfo(k.Name, k.KeyId, k.PublicKey));

    public void Dispose() => _trust.Dispose();
}
