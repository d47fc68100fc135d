using RestartPolicyKind = Docker.DotNet.Models.RestartPolicyKind;
using Fleet.Agent.Deploy;

namespace Fleet.Integration.Tests.Deploy;

public sealed class ContainerLimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApplyAsync_ResourcesAndRestartPolicy_SetOnTheRealContainer()
    {
        await using var h = new DeployHarness();
        var web = DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD")) with
        {
            Resources = new ResourceLimits(MemoryBytes: 64L << 20, Cpus: 1.5m),
            Restart = new RestartPolicy(RestartKind.OnFailure, MaxRetries: 4),
        };

        Assert.True((await h.Engine.ApplyAsync(h.Release(1, web), null, Ct)).Succeeded);

        var inspected = await h.Docker.Containers.InspectContainerAsync(Assert.Single(await h.ContainersAsync()).Id, Ct);
        Assert.Equal(64L << 20, inspected.HostConfig.Memory);
        Assert.Equal(1_500_000_000L, inspected.HostConfig.NanoCPUs);
        Assert.Equal(RestartPolicyKind.OnFailure, inspected.HostConfig.RestartPolicy.Name);
        Assert.Equal(4, inspected.HostConfig.RestartPolicy.MaximumRetryCount);
    }

    [Fact]
    public async Task ApplyAsync_NoLimitsDeclared_UnlimitedAndRestartedUnlessStopped()
    {
        await using var h = new DeployHarness();

        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);

        var inspected = await h.Docker.Containers.InspectContainerAsync(Assert.Single(await h.ContainersAsync()).Id, Ct);
        Assert.Equal(0, inspected.HostConfig.Memory);
        Assert.Equal(0, inspected.HostConfig.NanoCPUs);
        Assert.Equal(RestartPolicyKind.UnlessStopped, inspected.HostConfig.RestartPolicy.Name);
    }
}
