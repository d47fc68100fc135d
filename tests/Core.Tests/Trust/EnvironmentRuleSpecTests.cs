using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

public sealed class EnvironmentRuleSpecTests : IDisposable
{
    private readonly TestTrust _trust = new();

    [Fact]
    public void Parse_IssueExample_EnvironmentKeysAndThreshold()
    {
        var spec = EnvironmentRuleSpec.Parse("production=alice,bob:2");

        Assert.Equal("production", spec.Environment);
        Assert.Equal(["alice", "bob"], spec.KeyNames);
        Assert.Equal(2, spec.Threshold);
    }

    [Theory]
    [InlineData("production")]
    [InlineData("production=alice,bob")]
    [InlineData("=alice:1")]
    [InlineData("production=:1")]
    [InlineData("production=alice,bob:3")]
    [InlineData("production=alice,alice:2")]
    [InlineData("production=alice:0")]
    [InlineData("Prod=alice:1")]
    public void Parse_Malformed_RefusedWithExample(string text) =>
        Assert.Throws<FormatException>(() => EnvironmentRuleSpec.Parse(text));

    [Fact]
    public void ToRule_KnownNames_KeyIds()
    {
        var keys = new Dictionary<string, OperatorKeyInfo>
        {
            ["alice"] = new("alice", _trust.Alice.KeyId, _trust.Alice.PublicKey),
            ["bob"] = new("bob", _trust.Bob.KeyId, _trust.Bob.PublicKey),
        };

        var rule = EnvironmentRuleSpec.Parse("staging=alice,bob:1").ToRule(keys);

        Assert.True(rule.KeyIds.SetEquals([_trust.Alice.KeyId, _trust.Bob.KeyId]));
        Assert.Equal(1, rule.Threshold);
    }

    [Fact]
    public void ToRule_UnknownName_RefusedNamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => EnvironmentRuleSpec.Parse("staging=mallory:1").ToRule(new Dictionary<string, OperatorKeyInfo>()));

        Assert.Contains("'mallory'", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _trust.Dispose();
}
