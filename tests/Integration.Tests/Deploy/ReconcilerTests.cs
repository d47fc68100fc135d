using Fleet.Agent.Deploy;

namespace Fleet.Integration.Tests.Deploy;

public sealed class ReconcilerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Kills()
    {
        var data = new TheoryData<string, string>();
        foreach (var checkpoint in Enum.GetValues<SwapCheckpoint>().Where(c => c != SwapCheckpoint.BeforeStopOld))
        {
            data.Add(checkpoint.ToString(), nameof(UpdateOrder.StartFirst));
        }

        foreach (var checkpoint in new[] { SwapCheckpoint.BeforeStopOld, SwapCheckpoint.BeforeCreate, SwapCheckpoint.BeforeStart, SwapCheckpoint.BeforeSwitch })
        {
            data.Add(checkpoint.ToString(), nameof(UpdateOrder.StopFirst));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kills))]
    public async Task ReconcileAsync_AgentKilledMidSwap_ConvergesToOneHealthySlot(string checkpointName, string orderName)
    {
        // Strings, because the theory's parameters must be public types and the agent's are internal.
        var killedAt = Enum.Parse<SwapCheckpoint>(checkpointName);
        var order = Enum.Parse<UpdateOrder>(orderName);
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);
        var reached = new TaskCompletionSource();
        // The swap freezes forever at the checkpoint, with no cleanup: what SIGKILL leaves behind.
        h.Engine.Checkpoint = checkpoint =>
        {
            if (checkpoint != killedAt)
            {
                return Task.CompletedTask;
            }

            reached.TrySetResult();
            return new TaskCompletionSource().Task;
        };
        var abandoned = h.Engine.ApplyAsync(
            h.Release(2, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD_V2"), order)), null, Ct);
        await Task.WhenAny(reached.Task, abandoned).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(reached.Task.IsCompleted, $"the swap never reached {killedAt}");

        var restarted = new DeployJournal(h.Options.Value.JournalPath);
        await h.NewReconciler(restarted).ReconcileAsync(Ct);

        var entry = restarted.Get(h.App, "web")!;
        Assert.Null(entry.Pending);
        var container = Assert.Single(await h.ContainersAsync());
        Assert.True(container.Running);
        Assert.True(SlotContainers.Holds(container, entry.Applied!));
        Assert.Equal("ok", await h.GetAsync(entry.Applied!.Endpoint, "/health"));
        Assert.Equal(entry.Applied.Release == 2 ? "v2" : "v1", await h.GetAsync(entry.Applied.Endpoint, "/version"));
        Assert.Equal(entry, new DeployJournal(h.Options.Value.JournalPath).Get(h.App, "web"));
        // Reconciling again changes nothing: the state is stable.
        await h.NewReconciler(restarted).ReconcileAsync(Ct);
        Assert.Equal(container.Id, Assert.Single(await h.ContainersAsync()).Id);
    }

    [Fact]
    public async Task ReconcileAsync_KilledWhileUnhealthyReleaseStarting_RollsBackToOld()
    {
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);
        var v1 = h.Journal.Get(h.App, "web")!.Applied!;
        var reached = new TaskCompletionSource();
        h.Engine.Checkpoint = checkpoint =>
        {
            if (checkpoint != SwapCheckpoint.BeforeHealthCheck)
            {
                return Task.CompletedTask;
            }

            reached.TrySetResult();
            return new TaskCompletionSource().Task;
        };
        _ = h.Engine.ApplyAsync(h.Release(2, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_BAD"))), null, Ct);
        await reached.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var restarted = new DeployJournal(h.Options.Value.JournalPath);
        await h.NewReconciler(restarted).ReconcileAsync(Ct);

        var entry = restarted.Get(h.App, "web")!;
        Assert.Equal(v1, entry.Applied);
        Assert.Null(entry.Pending);
        Assert.True(SlotContainers.Holds(Assert.Single(await h.ContainersAsync()), v1));
        Assert.Equal("v1", await h.GetAsync(v1.Endpoint, "/version"));
    }

    [Fact]
    public async Task ReconcileAsync_HealthyContainers_NeverRestarted()
    {
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);
        var before = await h.Runtime.InspectAsync(Assert.Single(await h.ContainersAsync()).Id, Ct);

        Assert.Equal(1, await h.NewReconciler(new DeployJournal(h.Options.Value.JournalPath)).ReconcileAsync(Ct));

        var after = await h.Runtime.InspectAsync(Assert.Single(await h.ContainersAsync()).Id, Ct);
        Assert.Equal(before!.Id, after!.Id);
        Assert.Equal(before.StartedAt, after.StartedAt);
        Assert.Equal(0, after.RestartCount);
    }

    [Fact]
    public async Task ReconcileAsync_AppliedContainerRemovedBehindItsBack_Recreated()
    {
        await using var h = new DeployHarness();
        Assert.True((await h.Engine.ApplyAsync(h.Release(1, DeployHarness.Web(DeployHarness.Image("FLEET_TEST_IMAGE_GOOD"))), null, Ct)).Succeeded);
        await h.Runtime.RemoveAsync(Assert.Single(await h.ContainersAsync()).Id, Ct);

        await h.NewReconciler(new DeployJournal(h.Options.Value.JournalPath)).ReconcileAsync(Ct);

        var applied = h.Journal.Get(h.App, "web")!.Applied!;
        Assert.True(SlotContainers.Holds(Assert.Single(await h.ContainersAsync()), applied));
        Assert.Equal("v1", await h.GetAsync(applied.Endpoint, "/version"));
    }
}
