using System.Text;
using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

public sealed class TrustPolicyTests : IDisposable
{
    private readonly TestTrust _trust = new();

    [Fact]
    public void ParsePayload_ToJsonOutput_SamePolicy()
    {
        var policy = _trust.Policy(version: 3, expiresAt: TestTrust.Now.AddDays(90));

        var parsed = TrustPolicy.ParsePayload(policy.ToJson());

        Assert.Equal(3, parsed.Version);
        Assert.Equal(TestTrust.Now.AddDays(90), parsed.ExpiresAt);
        Assert.Equal(policy.Keys.Keys.Order(StringComparer.Ordinal), parsed.Keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, parsed.Environments["production"].Threshold);
        Assert.True(parsed.Environments["production"].KeyIds.SetEquals([_trust.Alice.KeyId, _trust.Bob.KeyId]));
        Assert.Equal(policy.ToJson(), parsed.ToJson());
    }

    [Fact]
    public void ParsePayload_MaxValidityPerEnvironment_RoundTripsAndDefaultsElsewhere()
    {
        var policy = _trust.Policy(maxValidity: new Dictionary<string, TimeSpan> { ["production"] = TimeSpan.FromHours(12) });

        var parsed = TrustPolicy.ParsePayload(policy.ToJson());

        Assert.Equal(TimeSpan.FromHours(12), parsed.MaxValidityFor("production"));
        Assert.Equal(TrustPolicy.DefaultMaxValidity, parsed.MaxValidityFor("staging"));
        Assert.Contains("\"max_validity\":\"12:00:00\"", Encoding.UTF8.GetString(parsed.ToJson()), StringComparison.Ordinal);
        Assert.DoesNotContain("max_validity", Encoding.UTF8.GetString(_trust.Policy().ToJson()), StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePayload_MaxValidityOnTheRootRule_Refused()
    {
        var json = Encoding.UTF8.GetString(_trust.Policy().ToJson())
            .Replace("\"root\":{", "\"root\":{\"max_validity\":\"01:00:00\",", StringComparison.Ordinal);

        var ex = Assert.Throws<DsseFormatException>(() => TrustPolicy.ParsePayload(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("the root rule takes no max_validity", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_MaxValidityOutOfRangeOrForUnknownEnvironment_AllReported()
    {
        var ex = Assert.Throws<ArgumentException>(() => _trust.Policy(maxValidity: new Dictionary<string, TimeSpan>
        {
            ["production"] = TimeSpan.FromSeconds(30),
            ["staging"] = TimeSpan.FromDays(400),
            ["qa"] = TimeSpan.FromHours(1),
        }));

        Assert.Contains("environment 'production' max_validity must be between 1m and 8784h, got 30s", ex.Message, StringComparison.Ordinal);
        Assert.Contains("environment 'staging' max_validity must be between 1m and 8784h, got 9600h", ex.Message, StringComparison.Ordinal);
        Assert.Contains("max_validity names environment 'qa', which has no rule", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ThresholdAboveKeyCount_RefusedNamingTheRule()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrustPolicy.Create(
            1,
            [new TrustedKey("alice", _trust.Alice.PublicKey)],
            TestTrust.Rule(1, _trust.Alice),
            new Dictionary<string, ThresholdRule> { ["production"] = TestTrust.Rule(2, _trust.Alice) }));

        Assert.Contains("environment 'production' threshold must be between 1 and 1, got 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SeveralProblems_AllReported()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrustPolicy.Create(
            0,
            [new TrustedKey("alice", _trust.Alice.PublicKey)],
            TestTrust.Rule(0, _trust.Alice),
            new Dictionary<string, ThresholdRule> { ["Prod!"] = TestTrust.Rule(1, _trust.Bob) }));

        Assert.Contains("version must be at least 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("root threshold", ex.Message, StringComparison.Ordinal);
        Assert.Contains("environment name 'Prod!' is invalid", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"names unknown key {_trust.Bob.KeyId}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePayload_KeyIdNotDerivedFromPublicKey_Refused()
    {
        var json = Encoding.UTF8.GetString(_trust.Policy().ToJson()).Replace(_trust.Alice.KeyId, _trust.Dave.KeyId, StringComparison.Ordinal);

        var ex = Assert.Throws<DsseFormatException>(() => TrustPolicy.ParsePayload(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("does not match its public key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePayload_UnknownField_Refused()
    {
        var json = Encoding.UTF8.GetString(_trust.Policy().ToJson()).Replace("{\"version\"", "{\"extra\":1,\"version\"", StringComparison.Ordinal);

        Assert.Throws<DsseFormatException>(() => TrustPolicy.ParsePayload(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void IsExpired_AtExpiry_True()
    {
        var policy = _trust.Policy(expiresAt: TestTrust.Now);

        Assert.True(policy.IsExpired(TestTrust.Now));
        Assert.False(policy.IsExpired(TestTrust.Now.AddTicks(-1)));
        Assert.False(_trust.Policy().IsExpired(DateTimeOffset.MaxValue));
    }

    public void Dispose() => _trust.Dispose();
}
