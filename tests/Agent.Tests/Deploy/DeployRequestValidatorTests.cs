using Fleet.Agent.Deploy;

namespace Fleet.Agent.Tests.Deploy;

public sealed class DeployRequestValidatorTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly HealthCheckSpec Health = new(HealthCheckKind.Http);

    [Fact]
    public void Validate_WellFormedRequest_ReturnsNull()
    {
        Assert.Null(DeployRequestValidator.Validate(new DeployRequest("shop", 1, [new ServiceSpec("web", $"127.0.0.1:5000/shop@{Digest}", Health)]), "/var/lib/fleet-agent"));
    }

    [Theory]
    [InlineData("127.0.0.1:5000/shop:latest")]
    [InlineData("127.0.0.1:5000/shop@sha256:abc")]
    [InlineData("127.0.0.1:5000/shop")]
    public void Validate_ImageNotPinnedByDigest_Refused(string image)
    {
        var problem = DeployRequestValidator.Validate(new DeployRequest("shop", 1, [new ServiceSpec("web", image, Health)]), "/var/lib/fleet-agent");

        Assert.Contains($"image '{image}' must be pinned by digest", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsThemAll()
    {
        var bad = new ServiceSpec(
            "Web!", $"r/x@{Digest}", new HealthCheckSpec(HealthCheckKind.Command),
            Env: new Dictionary<string, string> { ["PORT"] = "1" },
            PreDeployHooks: [new HookSpec("migrate", [], TimeSpan.Zero)]);

        var problem = DeployRequestValidator.Validate(new DeployRequest("../etc", 0, [bad, bad]), "/var/lib/fleet-agent")!;

        foreach (var expected in new[]
        {
            "app name '../etc'", "release sequence must be positive", "listed twice", "name must match",
            "needs a command", "PORT is set by the agent", "hook 'migrate' needs a command",
        })
        {
            Assert.Contains(expected, problem, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/srv/agent", "holds the Fleet agent's own state")]
    [InlineData("/srv/agent/deploy", "holds the Fleet agent's own state")]
    [InlineData("/srv", "holds the Fleet agent's own state")]
    [InlineData("/var/run/docker.sock", "declare 'capabilities: [docker-socket]'")]
    [InlineData("relative", "is not an absolute host path")]
    public void Validate_BindMountOfProtectedPath_RefusedAgainstThisAgentsStateFolder(string source, string message)
    {
        var web = new ServiceSpec("web", $"127.0.0.1:5000/shop@{Digest}", Health, Mounts: [new MountSpec(MountKind.Bind, source, "/mnt")]);

        var problem = DeployRequestValidator.Validate(new DeployRequest("shop", 1, [web]), "/srv/agent");

        Assert.Contains($"service 'web': volume {source}:/mnt refused: ", problem, StringComparison.Ordinal);
        Assert.Contains(message, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DockerSocketWithCapabilityAndVolumes_Accepted()
    {
        var web = new ServiceSpec(
            "web", $"127.0.0.1:5000/shop@{Digest}", Health,
            Mounts: [new MountSpec(MountKind.Bind, "/var/run/docker.sock", "/var/run/docker.sock"), new MountSpec(MountKind.Volume, "data", "/data")],
            Capabilities: ["docker-socket"]);

        Assert.Null(DeployRequestValidator.Validate(new DeployRequest("shop", 1, [web]), "/srv/agent"));
    }
}
