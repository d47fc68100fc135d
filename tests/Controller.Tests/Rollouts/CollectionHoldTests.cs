using System.Runtime;
using Fleet.Controller.Agents;
using Fleet.Controller.Rollouts;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Rollouts;

// Garbage collection is one per process: tests that hold it off run alone.
[CollectionDefinition(CollectionHoldTests.Group, DisableParallelization = true)]
public sealed class CollectionHoldGroup;

[Collection(Group)]
public sealed class CollectionHoldTests : IDisposable
{
    public const string Group = "garbage collection held off";

    private readonly FakeTimeProvider _time = new();
    private readonly AgentRegistry _registry = new();
    private readonly CollectionHold _hold;

    public CollectionHoldTests() => _hold = new CollectionHold(_registry, _time, NullLogger<CollectionHold>.Instance);

    public void Dispose() => _time.Advance(CollectionHold.Window);

    [Fact]
    public async Task Begin_CollectionsHeldOffUntilTheWindowEnds()
    {
        _hold.Begin();

        Assert.True(_hold.IsHolding);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        _time.Advance(CollectionHold.Window);
        await WaitUntilReleasedAsync();
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public async Task Begin_BudgetSpent_ACollectionEndsTheHoldAndANewOneCanBegin()
    {
        _hold.Begin();
        var collections = GC.CollectionCount(0);

        // Small objects, well past the budget (the large-object heap has a budget of its own).
        for (var allocated = 0L; allocated <= 2 * CollectionHold.Budget; allocated += 8 * 1024)
        {
            GC.KeepAlive(new byte[8 * 1024]);
        }

        Assert.True(GC.CollectionCount(0) > collections);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        _time.Advance(CollectionHold.Window);
        await WaitUntilReleasedAsync();
        _hold.Begin();
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void BeginForConnectedFleet_FewerAgentsThanALargeWave_NoHold()
    {
        _hold.BeginForConnectedFleet();

        Assert.False(_hold.IsHolding);
    }

    // The window ends in a timer's continuation: wait for it (at most 5 s).
    private async Task WaitUntilReleasedAsync()
    {
        for (var waited = 0; _hold.IsHolding && waited < 500; waited++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        Assert.False(_hold.IsHolding);
    }
}
