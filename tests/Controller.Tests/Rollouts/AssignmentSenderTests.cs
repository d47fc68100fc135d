using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Fleet.Controller.Hosting;
using Fleet.Controller.Rollouts;
using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Rollouts;

[Collection(CollectionHoldTests.Group)]
public sealed class AssignmentSenderTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    private readonly AgentRegistry _registry = new();
    private readonly List<AgentConnection> _connections = [];
    private readonly FakeTimeProvider _time = new();
    private readonly CollectionHold _hold;
    private readonly InboundPause _pause;
    private readonly AssignmentSender _sender;

    public AssignmentSenderTests()
    {
        _hold = new CollectionHold(_registry, _time, NullLogger<CollectionHold>.Instance);
        _pause = new InboundPause(_time, NullLogger<InboundPause>.Instance);
        _sender = new AssignmentSender(_registry, _hold, _pause, NullLogger<AssignmentSender>.Instance);
    }

    public void Dispose()
    {
        _time.Advance(CollectionHold.Window);
        _pause.Dispose();
        _connections.ForEach(c => c.Dispose());
    }

    [Fact]
    public void Send_WaveApplying_EachConnectedHostGetsOneApplyOfTheRelease()
    {
        var targets = new[] { Connect("web-1", TargetState.Applying), Connect("web-2", TargetState.Applying), Connect("web-3", TargetState.Waiting) };

        _sender.Send("ro-1", active: true, targets, Work(applied: []));
        _sender.Send("ro-1", active: true, targets, Work(applied: []));

        var sent = _connections.Select(Drain).ToList();
        Assert.Equal([1, 1, 0], sent.Select(s => s.Count));
        Assert.All(sent.Take(2), s => Assert.Equal((AssignmentAction.Apply, 7L, "ro-1"), (s[0].Assignment.Action, s[0].Assignment.Sequence, s[0].Assignment.RolloutId)));
    }

    [Fact]
    public void Send_AlreadyApplied_NothingSent()
    {
        var target = Connect("web-1", TargetState.Applying);

        _sender.Send("ro-1", active: true, [target], Work(applied: new() { [target.AgentId] = 7 }));

        Assert.Empty(Drain(_connections[0]));
    }

    [Fact]
    public void Send_Reverting_EachHostToItsOwnPreviousSequence()
    {
        var first = Connect("web-1", TargetState.Reverting);
        var second = Connect("web-2", TargetState.Reverting);

        _sender.Send("ro-1", active: false, [first, second], Work(applied: [], previous: new() { [first.AgentId] = 3, [second.AgentId] = 5 }));

        var sent = _connections.Select(c => Drain(c).Single().Assignment).ToList();
        Assert.Equal([(AssignmentAction.Revert, 3L), (AssignmentAction.Revert, 5L)], sent.Select(a => (a.Action, a.RevertToSequence)));
    }

    [Fact]
    public void Send_OnceHooks_OnlyTheWaveZeroHostRunsThem()
    {
        var hookHost = Connect("web-1", TargetState.Applying);
        var other = Connect("web-2", TargetState.Applying) with { Wave = 1 };

        _sender.Send("ro-1", active: true, [hookHost, other], Work(applied: [], onceHooks: true));

        Assert.Equal([true, false], _connections.Select(c => Drain(c).Single().Assignment.RunOnceHooks));
    }

    [Fact]
    public void Send_LargeWave_CollectionsHeldWhileItGoesOut()
    {
        var wave = Enumerable.Range(1, CollectionHold.LargeWave).Select(i => Connect($"web-{i}", TargetState.Applying)).ToList();

        _sender.Send("ro-1", active: true, wave, Work(applied: []));

        Assert.True(_hold.IsHolding);
        Assert.Equal(System.Runtime.GCLatencyMode.NoGCRegion, System.Runtime.GCSettings.LatencyMode);
    }

    [Fact]
    public void Send_SmallWave_NoHold()
    {
        var wave = Enumerable.Range(1, CollectionHold.LargeWave - 1).Select(i => Connect($"web-{i}", TargetState.Applying)).ToList();

        _sender.Send("ro-1", active: true, wave, Work(applied: []));

        Assert.False(_hold.IsHolding);
        Assert.False(_pause.IsPaused);
    }

    [Fact]
    public void Send_LargeWave_ReadsPausedUntilItsHostsAnswer()
    {
        var wave = Enumerable.Range(1, CollectionHold.LargeWave).Select(i => Connect($"web-{i}", TargetState.Applying)).ToList();

        _sender.Send("ro-1", active: true, wave, Work(applied: []));

        // No connection in this test ever answers: only the limit ends the pause.
        Assert.True(_pause.IsPaused);
        _time.Advance(InboundPause.Limit);
        Assert.False(_pause.IsPaused);
    }

    [Fact]
    public void Send_LargeWaveQueuesNothing_NoPause()
    {
        var wave = Enumerable.Range(1, CollectionHold.LargeWave).Select(i => Connect($"web-{i}", TargetState.Applying)).ToList();
        var applied = wave.ToDictionary(t => t.AgentId, _ => 7L);

        _sender.Send("ro-1", active: true, wave, Work(applied));

        Assert.False(_pause.IsPaused);
    }

    [Fact]
    public void Send_LargeRolloutOneHostLeft_PausedForThatHostOnly()
    {
        var wave = Enumerable.Range(1, CollectionHold.LargeWave).Select(i => Connect($"web-{i}", TargetState.Applying)).ToList();
        var applied = wave.Skip(1).ToDictionary(t => t.AgentId, _ => 7L);

        _sender.Send("ro-1", active: true, wave, Work(applied));

        Assert.True(_pause.IsPaused);
        Assert.Single(Drain(_connections[0]));
    }

    private TargetSnapshot Connect(string name, TargetState state)
    {
        var connection = new AgentConnection(Guid.NewGuid(), name, Now);
        _connections.Add(connection);
        _registry.Register(connection);
        return new TargetSnapshot(connection.AgentId, name, 0, state, Now);
    }

    private static DispatchInfo Work(Dictionary<Guid, long> applied, Dictionary<Guid, long>? previous = null, bool onceHooks = false) =>
        new("shop", "staging", 7, ByteString.CopyFromUtf8("{}"), 1, onceHooks, applied, previous ?? []);

    private static List<ControllerMessage> Drain(AgentConnection connection)
    {
        var messages = new List<ControllerMessage>();
        while (connection.Outbound.TryRead(out var message))
        {
            messages.Add(message);
        }

        return messages;
    }
}
