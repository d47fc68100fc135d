using Fleet.Agent.Deploy;

namespace Fleet.Integration.Tests.Deploy;

public sealed class HealthCheckKindTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApplyAsync_TcpCheck_HealthyWhenPortAccepts()
    {
        await using var h = new DeployHarness();
        var health = DeployHarness.HttpCheck() with { Kind = HealthCheckKind.Tcp };

        var result = await h.Engine.ApplyAsync(
            h.Release(1, new ServiceSpec("web", DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"), health)), null, Ct);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal("v1", await h.GetAsync(h.Journal.Get(h.App, "web")!.Applied!.Endpoint, "/version"));
    }

    [Theory]
    [InlineData("FLEET_TEST_IMAGE_GOOD", true)]
    [InlineData("FLEET_TEST_IMAGE_BAD", false)]
    public async Task ApplyAsync_CommandCheck_FollowsCommandExitCode(string variable, bool healthy)
    {
        await using var h = new DeployHarness();
        // Runs inside the container, which sees the PORT the agent gave it.
        var health = DeployHarness.HttpCheck() with
        {
            Kind = HealthCheckKind.Command,
            Command = ["sh", "-c", "wget -q -O- http://127.0.0.1:$PORT/health"],
        };

        var result = await h.Engine.ApplyAsync(h.Release(1, new ServiceSpec("web", DeployHarness.Image(variable), health)), null, Ct);

        Assert.Equal(healthy, result.Succeeded);
        if (!healthy)
        {
            Assert.Contains("health command exited with code 1", result.Reason, StringComparison.Ordinal);
            Assert.Empty(await h.ContainersAsync());
            Assert.Null(h.Journal.Get(h.App, "web"));
        }
    }
}
