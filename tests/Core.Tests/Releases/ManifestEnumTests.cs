using System.Text;
using Fleet.Core.Releases;
using Fleet.Core.Tests.TestSupport;

namespace Fleet.Core.Tests.Releases;

/// <summary>Enum values in a signed manifest are their names only; a number (in range or not) is refused.</summary>
public sealed class ManifestEnumTests
{
    [Theory]
    [InlineData("\"type\":\"http\"", "\"type\":7")]
    [InlineData("\"type\":\"http\"", "\"type\":1")]
    [InlineData("\"type\":\"http\"", "\"type\":\"7\"")]
    [InlineData("\"update_order\":\"start-first\"", "\"update_order\":-1")]
    [InlineData("\"run\":\"once\"", "\"run\":9")]
    [InlineData("\"phase\":\"pre-deploy\"", "\"phase\":3")]
    public void Parse_NumericEnumValue_Refused(string canonical, string replacement)
    {
        var json = Encoding.UTF8.GetString(TestTrust.Manifest().ToCanonicalJson());
        Assert.Contains(canonical, json, StringComparison.Ordinal);

        Assert.Throws<ReleaseValidationException>(() =>
            ReleaseManifest.Parse(Encoding.UTF8.GetBytes(json.Replace(canonical, replacement, StringComparison.Ordinal))));
    }

    [Fact]
    public void Create_EnumValuesOutsideTheirRange_EachReported()
    {
        var release = TestTrust.Manifest().Release;
        var service = release.Services[0] with
        {
            UpdateOrder = (UpdateOrder)5,
            Health = release.Services[0].Health! with { Type = (HealthCheckType)9 },
            Ports = [new PortMapping { ContainerPort = 80, Protocol = (PortProtocol)4 }],
        };
        var bad = release with
        {
            Services = [service],
            Hooks = [release.Hooks[0] with { Run = (HookRun)7, Phase = (HookPhase)2 }],
            Strategy = new StrategySpec { Type = (RolloutStrategyType)8 },
        };

        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseManifest.Create(bad, "staging", 1, TestTrust.Now, TimeSpan.FromHours(1)));

        foreach (var path in new[]
        {
            "release.services.web.update_order", "release.services.web.health.type", "release.services.web.ports[0].protocol",
            "release.hooks.pre_deploy.migrate.run", "release.hooks.pre_deploy.migrate.phase", "release.strategy.type",
        })
        {
            Assert.Contains(ex.Errors, e => e.Path == path);
        }
    }
}
