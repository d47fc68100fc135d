using System.Text;
using Fleet.Core.Naming;
using Fleet.Core.Releases;
using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Releases;

/// <summary><c>$</c> matches before a final newline; every name rule must refuse <c>shop\n</c>.</summary>
public sealed class TrailingNewlineTests : IDisposable
{
    private readonly TestTrust _trust = new();

    [Fact]
    public void Create_AppEnvironmentServiceAndHookWithTrailingNewline_EachRefused()
    {
        var release = TestTrust.Manifest().Release;
        var bad = release with
        {
            App = "shop\n",
            Services = [release.Services[0] with { Name = "web\n" }],
            Hooks = [release.Hooks[0] with { Name = "migrate\n" }],
            TargetLabels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["role\n"] = "web" },
        };

        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseManifest.Create(bad, "production\n", 1, TestTrust.Now, TimeSpan.FromHours(1)));

        Assert.Contains(ex.Errors, e => e.Path == "environment");
        Assert.Contains(ex.Errors, e => e.Path == "release.app");
        Assert.Contains(ex.Errors, e => e.Path == "release.services.web\n");
        Assert.Contains(ex.Errors, e => e.Path == "release.hooks.pre_deploy.migrate\n");
        Assert.Contains(ex.Errors, e => e.Path == "release.target_labels.role\n");
    }

    [Fact]
    public void Create_PolicyEnvironmentWithTrailingNewline_Refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrustPolicy.Create(
            1, [new TrustedKey("alice", _trust.Alice.PublicKey)], TestTrust.Rule(1, _trust.Alice),
            new Dictionary<string, ThresholdRule> { ["production\n"] = TestTrust.Rule(1, _trust.Alice) }));

        Assert.Contains("environment name 'production\n' is invalid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SignedManifestWithEnvironmentNewline_Refused()
    {
        var json = Encoding.UTF8.GetString(TestTrust.Manifest().ToCanonicalJson())
            .Replace("\"environment\":\"staging\"", "\"environment\":\"staging\\n\"", StringComparison.Ordinal);

        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseManifest.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(ex.Errors, e => e.Path == "environment");
    }

    [Theory]
    [InlineData("30s\n")]
    [InlineData("1h\n")]
    public void Duration_TrailingNewline_Refused(string text) =>
        Assert.False(Duration.TryParse(text, out _));

    [Theory]
    [InlineData("shop")]
    [InlineData("web-1")]
    public void NameRules_PlainNames_Accepted(string name)
    {
        Assert.Matches(NameRules.Name(), name);
        Assert.Matches(NameRules.DottedName(), name + ".eu");
    }

    [Theory]
    [InlineData("shop\n")]
    [InlineData("shop\r\n")]
    [InlineData("-shop")]
    [InlineData("Shop")]
    public void NameRules_TrailingNewlineOrBadStart_Refused(string name)
    {
        Assert.DoesNotMatch(NameRules.Name(), name);
        Assert.DoesNotMatch(NameRules.DottedName(), name);
        Assert.DoesNotMatch(NameRules.ContainerName(), name.TrimStart('-') + "\n");
        Assert.DoesNotMatch(NameRules.DomainName(), "example.com\n");
    }

    public void Dispose() => _trust.Dispose();
}
