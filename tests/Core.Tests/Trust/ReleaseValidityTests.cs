using System.Text;
using Fleet.Core.Releases;
using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

/// <summary>The validity window of a signed release: not too long, not from the future, timestamps with a zone.</summary>
public sealed class ReleaseValidityTests : IDisposable
{
    private readonly TestTrust _trust = new();

    [Fact]
    public void Verify_ExpiresInYear9999_RefusedValidityTooLong()
    {
        var manifest = TestTrust.Manifest() with { ExpiresAt = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero) };

        var verification = Verify(manifest, _trust.Policy());

        Assert.Equal(ReleaseRefusalCode.ValidityTooLong, verification.Refusal?.Code);
        Assert.Contains("at most 168h for 'staging'", verification.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ValidForExactlyTheDefaultMaximum_Accepted()
    {
        var manifest = TestTrust.Manifest() with { ExpiresAt = TestTrust.Manifest().CreatedAt + TrustPolicy.DefaultMaxValidity };

        Assert.NotNull(Verify(manifest, _trust.Policy()).Release);
        Assert.Equal(TimeSpan.FromDays(7), TrustPolicy.DefaultMaxValidity);
    }

    [Fact]
    public void Verify_PolicyLimitsProductionToOneHour_TwoHourProductionRefusedStagingAccepted()
    {
        var policy = _trust.Policy(maxValidity: new Dictionary<string, TimeSpan> { ["production"] = TimeSpan.FromHours(1) });
        var twoHours = TestTrust.Manifest("production") with { ExpiresAt = TestTrust.Manifest().CreatedAt.AddHours(2) };

        var production = Verify(twoHours, policy);
        var staging = Verify(twoHours with { Environment = "staging" }, policy);

        Assert.Equal(ReleaseRefusalCode.ValidityTooLong, production.Refusal?.Code);
        Assert.Contains("valid for 2h; trust policy v1 allows at most 1h for 'production'", production.Refusal!.Message, StringComparison.Ordinal);
        Assert.NotNull(staging.Release);
    }

    [Fact]
    public void Verify_CreatedSixMinutesInTheFuture_RefusedNotYetValid()
    {
        var manifest = TestTrust.Manifest() with { CreatedAt = TestTrust.Now.AddMinutes(6) };

        var verification = Verify(manifest, _trust.Policy());

        Assert.Equal(ReleaseRefusalCode.NotYetValid, verification.Refusal?.Code);
        Assert.Contains("created 6m in the future", verification.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_CreatedWithinTheClockSkew_Accepted()
    {
        var manifest = TestTrust.Manifest() with { CreatedAt = TestTrust.Now + ReleaseVerifier.MaxClockSkew };

        Assert.NotNull(Verify(manifest, _trust.Policy()).Release);
    }

    [Fact]
    public void Admit_AgentAndControllerShareTheCheck_AgentRefusesTooLongValidityToo()
    {
        var manifest = TestTrust.Manifest() with { ExpiresAt = TestTrust.Now.AddDays(30) };
        var agent = new AgentTarget("staging", new Dictionary<string, string> { ["role"] = "web" });

        var decision = ReleaseAdmission.Admit(manifest.Sign([_trust.Alice]).ToJson(), _trust.Policy(), agent, new Dictionary<AppEnvironment, long>(), TestTrust.Now);

        Assert.Equal(ReleaseRefusalCode.ValidityTooLong, decision.Refusal?.Code);
    }

    [Theory]
    [InlineData("2026-06-01T13:00:00")]
    [InlineData("2026-06-01T13:00:00.0000000")]
    public void Parse_ExpiresAtWithoutOffset_RefusedNamingTheField(string timestamp)
    {
        var json = Encoding.UTF8.GetString(TestTrust.Manifest().ToCanonicalJson())
            .Replace("2026-06-01T13:00:00+00:00", timestamp, StringComparison.Ordinal);

        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseManifest.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("expires_at", ex.Message, StringComparison.Ordinal);
        Assert.Contains("explicit offset", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-06-01T13:00:00Z")]
    [InlineData("2026-06-01T15:00:00+02:00")]
    [InlineData("2026-06-01T08:00:00-05:00")]
    public void Parse_ExpiresAtWithOffset_SameInstant(string timestamp)
    {
        var json = Encoding.UTF8.GetString(TestTrust.Manifest().ToCanonicalJson())
            .Replace("2026-06-01T13:00:00+00:00", timestamp, StringComparison.Ordinal);

        var manifest = ReleaseManifest.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Equal(TestTrust.Now.AddHours(1), manifest.ExpiresAt);
    }

    [Fact]
    public void ParsePayload_PolicyExpiryWithoutOffset_Refused()
    {
        var json = Encoding.UTF8.GetString(_trust.Policy(expiresAt: TestTrust.Now.AddDays(90)).ToJson())
            .Replace("2026-08-30T12:00:00+00:00", "2026-08-30T12:00:00", StringComparison.Ordinal);

        var ex = Assert.Throws<DsseFormatException>(() => TrustPolicy.ParsePayload(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("explicit offset", ex.Message, StringComparison.Ordinal);
    }

    private ReleaseVerification Verify(ReleaseManifest manifest, TrustPolicy policy) =>
        ReleaseVerifier.Verify(manifest.Sign([_trust.Alice, _trust.Bob]).ToJson(), policy, TestTrust.Now);

    public void Dispose() => _trust.Dispose();
}
