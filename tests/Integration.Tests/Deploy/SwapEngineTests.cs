using Docker.DotNet;
using ImageDeleteParameters = Docker.DotNet.Models.ImageDeleteParameters;
using Fleet.Agent.Deploy;

namespace Fleet.Integration.Tests.Deploy;

public sealed class SwapEngineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApplyAsync_V1ThenV2_OldServesUntilSwitchThenNewServes()
    {
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);
        var v1 = h.Journal.Get(h.App, "web")!.Applied!;
        Assert.Equal("v1", await h.GetAsync(v1.Endpoint, "/version"));

        var events = new EventLog();
        var failuresBeforeSwitch = 0;
        var answersBeforeSwitch = 0;
        var swap = h.Engine.ApplyAsync(h.Release(2, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"))), events, Ct);
        while (!swap.IsCompleted && !events.Saw(SwapStep.Switching))
        {
            try
            {
                Assert.Equal("v1", await h.GetAsync(v1.Endpoint, "/version"));
                answersBeforeSwitch++;
            }
            catch (HttpRequestException)
            {
                if (!events.Saw(SwapStep.Switching))
                {
                    failuresBeforeSwitch++;
                }
            }
        }

        var result = await swap;
        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(0, failuresBeforeSwitch);
        Assert.True(answersBeforeSwitch > 0);
        var entry = h.Journal.Get(h.App, "web")!;
        Assert.Equal(2, entry.Applied!.Release);
        Assert.Equal(1, entry.Previous!.Release);
        Assert.NotEqual(v1.Slot, entry.Applied.Slot);
        Assert.Null(entry.Pending);
        Assert.Equal("v2", await h.GetAsync(entry.Applied.Endpoint, "/version"));
        var container = Assert.Single(await h.ContainersAsync());
        Assert.True(SlotContainers.Holds(container, entry.Applied));
        Assert.Equal(
            [SwapStep.Pulling, SwapStep.Starting, SwapStep.HealthChecking, SwapStep.Switching, SwapStep.Draining, SwapStep.Applied],
            events.Events.Select(e => e.Step).Distinct());
        Assert.Contains(h.Journal.ActiveEndpoints(), e => e.Endpoint == entry.Applied.Endpoint && e.Release == 2);
    }

    [Fact]
    public async Task ApplyAsync_ImageNotLocalAndSlowToStart_ReportsPulledBytesAndWaitsThroughStartPeriod()
    {
        await using var h = new DeployHarness();
        // Only this test uses the slow image, so deleting the local copy races with no other test.
        var slow = DeployHarness.Image("FLEET_TEST_IMAGE_SLOW");
        using (var docker = new DockerClientConfiguration(new Uri(DeployHarness.Require("DOCKER_HOST"))).CreateClient())
        {
            if ((await h.Runtime.GetRepoDigestsAsync(slow, Ct)).Count > 0)
            {
                await docker.Images.DeleteImageAsync(slow, new ImageDeleteParameters { Force = true }, Ct);
            }
        }

        var events = new EventLog();
        var health = DeployHarness.HttpCheck() with { StartPeriod = TimeSpan.FromSeconds(20), Retries = 1 };

        var result = await h.Engine.ApplyAsync(h.Release(1, new ServiceSpec("web", slow, health)), events, Ct);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Contains(events.Events, e => e.Step == SwapStep.Pulling && e.Bytes is { BytesDone: > 0, BytesTotal: > 0 });
        Assert.Equal("v5", await h.GetAsync(h.Journal.Get(h.App, "web")!.Applied!.Endpoint, "/version"));
    }

    [Theory]
    [InlineData("FLEET_TEST_IMAGE_BAD", "returned 404", "bad image: no health endpoint")]
    [InlineData("FLEET_TEST_IMAGE_EXITS", "is not healthy: container exited", "exits-immediately: giving up")]
    public async Task ApplyAsync_UnhealthyRelease_RemovedAndOldKeepsServing(string variable, string reason, string logLine)
    {
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);
        var v1 = h.Journal.Get(h.App, "web")!.Applied!;
        var events = new EventLog();

        var result = await h.Engine.ApplyAsync(h.Release(2, DeployHarness.Web(DeployHarness.Image(variable))), events, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        Assert.Contains(logLine, result.LogTail, StringComparison.Ordinal);
        var failed = Assert.Single(events.Events, e => e.Step == SwapStep.Failed);
        Assert.Equal(result.LogTail, failed.LogTail);
        Assert.Equal("v1", await h.GetAsync(v1.Endpoint, "/version"));
        Assert.True(SlotContainers.Holds(Assert.Single(await h.ContainersAsync()), v1));
        var entry = h.Journal.Get(h.App, "web")!;
        Assert.Null(entry.Pending);
        Assert.Equal(1, entry.Applied!.Release);
    }

    [Fact]
    public async Task ApplyAsync_StopFirst_StopsOldBeforeStartingNew()
    {
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);
        var events = new EventLog();

        var result = await h.Engine.ApplyAsync(
            h.Release(2, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"), UpdateOrder.StopFirst)), events, Ct);

        Assert.True(result.Succeeded, result.Reason);
        var steps = events.Events.Select(e => e.Step).ToList();
        Assert.True(steps.IndexOf(SwapStep.Draining) < steps.IndexOf(SwapStep.Starting));
        var applied = h.Journal.Get(h.App, "web")!.Applied!;
        Assert.Equal("v2", await h.GetAsync(applied.Endpoint, "/version"));
        Assert.True(SlotContainers.Holds(Assert.Single(await h.ContainersAsync()), applied));
    }

    [Fact]
    public async Task ApplyAsync_StopFirstUnhealthy_RestoresOldRelease()
    {
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);
        var v1 = h.Journal.Get(h.App, "web")!.Applied!;

        var result = await h.Engine.ApplyAsync(
            h.Release(2, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_BAD"), UpdateOrder.StopFirst)), null, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal("v1", await h.GetAsync(v1.Endpoint, "/version"));
        Assert.True(SlotContainers.Holds(Assert.Single(await h.ContainersAsync()), v1));
    }

    [Fact]
    public async Task ApplyAsync_TagOnlyImage_RefusedBeforeTouchingDocker()
    {
        await using var h = new DeployHarness();

        var result = await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web($"{h.Registry}/fleet-test-good:latest")), null, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("must be pinned by digest", result.Reason, StringComparison.Ordinal);
        Assert.Empty(await h.ContainersAsync());
        Assert.Null(h.Journal.Get(h.App, "web"));
    }

    [Fact]
    public async Task ApplyAsync_DigestNotInRepository_RefusedAndOldKeepsServing()
    {
        await using var h = new DeployHarness();
        var good = DeployHarness.Image("FLEET_TEST_IMAGE_GOOD");
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(good)), null, Ct)).Succeeded);
        var v1 = h.Journal.Get(h.App, "web")!.Applied!;
        // The good image's digest asked from another repository: the content there does not match it.
        var forged = $"{h.Registry}/fleet-test-bad@{good[(good.IndexOf('@', StringComparison.Ordinal) + 1)..]}";

        var result = await h.Engine.ApplyAsync(h.Release(2, DeployHarness.Web(forged)), null, Ct);

        Assert.False(result.Succeeded);
        Assert.StartsWith($"pull of {forged} failed", result.Reason, StringComparison.Ordinal);
        Assert.Equal("v1", await h.GetAsync(v1.Endpoint, "/version"));
        Assert.Single(await h.ContainersAsync());
        Assert.Null(h.Journal.Get(h.App, "web")!.Pending);
    }

    [Fact]
    public async Task ApplyAsync_DiskBelowThreshold_RefusedWithoutPulling()
    {
        await using var h = new DeployHarness(minFreeDiskBytes: long.MaxValue);
        var events = new EventLog();

        var result = await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), events, Ct);

        Assert.False(result.Succeeded);
        Assert.StartsWith("not enough disk space", result.Reason, StringComparison.Ordinal);
        Assert.False(events.Saw(SwapStep.Pulling));
        Assert.Null(h.Journal.Get(h.App, "web"));
    }

    [Fact]
    public async Task RollBackAsync_AfterV2_V1ServesAgainFromKeptImage()
    {
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);
        Assert.True((await h.Engine.ApplyAsync(h.Release(2, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"))), null, Ct)).Succeeded);
        var events = new EventLog();

        var result = await h.Engine.RollBackAsync(h.App, events, Ct);

        Assert.True(result.Succeeded, result.Reason);
        var entry = h.Journal.Get(h.App, "web")!;
        Assert.Equal((1L, 2L), (entry.Applied!.Release, entry.Previous!.Release));
        Assert.Equal("v1", await h.GetAsync(entry.Applied.Endpoint, "/version"));
        Assert.True(SlotContainers.Holds(Assert.Single(await h.ContainersAsync()), entry.Applied));
        Assert.EndsWith("is already present", events.Events.First(e => e.Step == SwapStep.Pulling).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollBackAsync_NothingBefore_Refused()
    {
        await using var h = new DeployHarness();

        var result = await h.Engine.RollBackAsync(h.App, null, Ct);

        Assert.False(result.Succeeded);
        Assert.Equal($"{h.App} has no previous release to roll back to", result.Reason);
    }

    [Fact]
    public async Task ApplyAsync_OlderRelease_Refused()
    {
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(5, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);

        var result = await h.Engine.ApplyAsync(h.Release(4, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"))), null, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("not newer than release 5", result.Reason, StringComparison.Ordinal);
        Assert.Equal(5, h.Journal.Get(h.App, "web")!.Applied!.Release);
    }
}
