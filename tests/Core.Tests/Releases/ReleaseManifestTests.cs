using System.Text;
using Fleet.Core.Releases;
using Fleet.Core.Tests.TestSupport;

namespace Fleet.Core.Tests.Releases;

public sealed class ReleaseManifestTests
{
    [Fact]
    public void ToCanonicalJson_ParsedAndReserialised_SameBytes()
    {
        var json = TestTrust.Manifest().ToCanonicalJson();

        Assert.Equal(json, ReleaseManifest.Parse(json).ToCanonicalJson());
    }

    [Fact]
    public void ToCanonicalJson_FixedPropertyOrderSnakeCaseAndNoWhitespace()
    {
        var json = Encoding.UTF8.GetString(TestTrust.Manifest().ToCanonicalJson());

        Assert.StartsWith("{\"environment\":\"staging\",\"sequence\":5,\"created_at\":\"2026-06-01T11:55:00+00:00\",\"expires_at\":", json, StringComparison.Ordinal);
        Assert.Contains("\"release\":{\"app\":\"shop\",\"target_labels\":{\"role\":\"web\"},\"services\":[", json, StringComparison.Ordinal);
        Assert.Contains("\"update_order\":\"start-first\"", json, StringComparison.Ordinal);
        Assert.Contains("\"run\":\"once\"", json, StringComparison.Ordinal);
        Assert.Contains("\"phase\":\"pre-deploy\"", json, StringComparison.Ordinal);
        Assert.Contains("\"healthy_deadline\":\"00:05:00\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain(" ", json, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCanonicalJson_UnavailableHostsOnlyWhenGiven_ReadBackTheSame()
    {
        var plain = Encoding.UTF8.GetString(TestTrust.Manifest().ToCanonicalJson());
        var manifest = TestTrust.Manifest();
        var strict = manifest with { Release = manifest.Release with { Strategy = manifest.Release.Strategy with { RequireAll = true } } };

        var json = strict.ToCanonicalJson();

        // Agents that predate the fields still read every manifest that does not use them.
        Assert.DoesNotContain("unavailable", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("require_all", plain, StringComparison.Ordinal);
        Assert.Contains("\"require_all\":true", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.Equal(0, ReleaseManifest.Parse(json).Release.Strategy.AllowedUnavailable);
    }

    [Fact]
    public void ToCanonicalJson_MapsWrittenInOrdinalKeyOrder()
    {
        var manifest = TestTrust.Manifest();
        var service = manifest.Release.Services[0] with
        {
            Environment = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["b"] = "2", ["B"] = "1", ["a"] = "3" },
        };

        var json = Encoding.UTF8.GetString((manifest with { Release = manifest.Release with { Services = [service] } }).ToCanonicalJson());

        Assert.Contains("\"environment\":{\"B\":\"1\",\"a\":\"3\",\"b\":\"2\"}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LocalTime_StoredAsUtcWithValidityWindow()
    {
        var local = new DateTimeOffset(2026, 6, 1, 14, 0, 0, TimeSpan.FromHours(2));

        var manifest = ReleaseManifest.Create(TestTrust.Manifest().Release, "production", 7, local, TimeSpan.FromDays(7));

        Assert.Equal(TimeSpan.Zero, manifest.CreatedAt.Offset);
        Assert.Equal(TestTrust.Now, manifest.CreatedAt);
        Assert.Equal(TestTrust.Now.AddDays(7), manifest.ExpiresAt);
    }

    [Fact]
    public void Create_ZeroValidityAndBadEnvironment_BothReported()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() =>
            ReleaseManifest.Create(TestTrust.Manifest().Release, "Prod", 1, TestTrust.Now, TimeSpan.Zero));

        Assert.Equal(["environment", "expires_at"], ex.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_SequenceAboveMaximum_Refused()
    {
        var json = TestTrust.Manifest(sequence: long.MaxValue).ToCanonicalJson();

        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseManifest.Parse(json));

        Assert.Equal("sequence", Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public void Parse_SequenceAtMaximum_Accepted()
    {
        var json = TestTrust.Manifest(sequence: ReleaseValidator.MaxSequence).ToCanonicalJson();

        Assert.Equal(9_007_199_254_740_991, ReleaseManifest.Parse(json).Sequence);
    }

    [Fact]
    public void Parse_UnknownField_Refused()
    {
        var json = Encoding.UTF8.GetString(TestTrust.Manifest().ToCanonicalJson()).Replace("{\"environment\"", "{\"privileged\":true,\"environment\"", StringComparison.Ordinal);

        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseManifest.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("privileged", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateProperty_Refused()
    {
        var json = Encoding.UTF8.GetString(TestTrust.Manifest().ToCanonicalJson()).Replace("{\"environment\":\"staging\"", "{\"environment\":\"staging\",\"environment\":\"production\"", StringComparison.Ordinal);

        Assert.Throws<ReleaseValidationException>(() => ReleaseManifest.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Parse_SemanticProblems_AllReportedWithPaths()
    {
        var manifest = TestTrust.Manifest() with { Sequence = 0, ExpiresAt = TestTrust.Now.AddHours(-1) };
        manifest = manifest with { Release = manifest.Release with { App = "Shop!" } };

        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseManifest.Parse(manifest.ToCanonicalJson()));

        Assert.Equal(["expires_at", "release.app", "sequence"], ex.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }
}
