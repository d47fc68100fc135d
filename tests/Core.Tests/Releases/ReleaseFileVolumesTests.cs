using Fleet.Core.Releases;

namespace Fleet.Core.Tests.Releases;

public sealed class ReleaseFileVolumesTests
{
    private static ReleaseDefinition Parse(string service) => ReleaseFile.Parse($"""
        app: shop
        services:
          web:
            image: 127.0.0.1:5000/shop/web:1.0
        {service}
        """);

    [Fact]
    public void Parse_NamedBindReadOnlyTmpfsAndDockerSocketWithCapability_Accepted()
    {
        var web = Parse("""
                volumes: ["uploads:/data", "/srv/shop/config:/config:ro", "/var/run/docker.sock:/var/run/docker.sock"]
                tmpfs: ["/run/cache", "/tmp:size=64m,mode=1777"]
                capabilities: [docker-socket]
            """).Services[0];

        Assert.Equal(new VolumeMount { Source = "uploads", Target = "/data" }, web.Volumes[0]);
        Assert.Equal(new VolumeMount { Source = "/srv/shop/config", Target = "/config", ReadOnly = true }, web.Volumes[1]);
        Assert.Equal([new TmpfsMount { Target = "/run/cache" }, new TmpfsMount { Target = "/tmp", Options = "size=64m,mode=1777" }], web.Tmpfs!);
        Assert.Equal(["docker-socket"], web.Capabilities!);
    }

    [Theory]
    [InlineData("data/uploads:/data", "is a relative path")]
    [InlineData("./data:/data", "is a relative path")]
    [InlineData("/srv/../etc:/data", "contains '..'")]
    [InlineData("/:/host", "root folder '/'")]
    [InlineData("//:/host", "root folder '/'")]
    [InlineData("/etc:/host-etc:ro", "'/etc' cannot be mounted")]
    [InlineData("/etc/:/host-etc", "'/etc' cannot be mounted")]
    [InlineData("/var/lib/fleet-agent:/state", "the Fleet agent's own state")]
    [InlineData("/var/lib/fleet-agent/deploy:/state", "the Fleet agent's own state")]
    [InlineData("/var/lib:/lib", "the Fleet agent's own state")]
    [InlineData("/var/run/docker.sock:/var/run/docker.sock", "declare 'capabilities: [docker-socket]'")]
    [InlineData("/run:/host-run", "exposes the Docker socket")]
    public void Parse_RefusedVolumeSource_ClearMessageAtItsPath(string volume, string message)
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => Parse($"""
                volumes: ["{volume}"]
            """));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("services.web.volumes[0]", error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadTargetsTmpfsOptionsAndUnknownCapability_AllReported()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => Parse("""
                volumes: ["data:relative", "logs:/data"]
                tmpfs: ["/data", "/run:size=64m;rm -rf"]
                capabilities: [root]
            """));

        Assert.Equal(
            ["services.web.capabilities", "services.web.tmpfs[1]", "services.web.volumes", "services.web.volumes[0]"],
            ex.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Refusal_AgentStateFolderOtherThanDefault_Refused()
    {
        Assert.Null(MountRules.Refusal("/srv/fleet/data", null, MountRules.DefaultAgentStateFolder));
        Assert.Contains("own state", MountRules.Refusal("/srv/fleet/data", null, "/srv/fleet"), StringComparison.Ordinal);
    }
}
