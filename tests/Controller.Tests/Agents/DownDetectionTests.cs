using Fleet.Contracts.V1;
using Fleet.Controller.Agents;
using Fleet.Controller.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Agents;

public sealed class DownDetectionTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly AgentRegistry _registry = new();

    [Fact]
    public void Compute_RevokedWhileConnected_Revoked() =>
        Assert.Equal(AgentState.Revoked, AgentStates.Compute(Now, Now, Now, Now, Interval * 3));

    [Fact]
    public void Compute_NeverSeenNotConnected_Pending() =>
        Assert.Equal(AgentState.Pending, AgentStates.Compute(null, null, null, Now, Interval * 3));

    [Fact]
    public void Compute_StreamOpenAndFresh_Connected() =>
        Assert.Equal(AgentState.Connected, AgentStates.Compute(null, Now, Now - (Interval * 2.9), Now, Interval * 3));

    [Fact]
    public void Compute_StreamOpenButThreeIntervalsSilent_Down() =>
        Assert.Equal(AgentState.Down, AgentStates.Compute(null, Now, Now - (Interval * 3), Now, Interval * 3));

    [Fact]
    public void Compute_SeenBeforeButNoStream_Down() =>
        Assert.Equal(AgentState.Down, AgentStates.Compute(null, Now, null, Now, Interval * 3));

    [Fact]
    public void SweepOnce_SilentForThreeIntervals_ClosesOnlyThatStream()
    {
        using var silent = Connect("silent");
        using var chatty = Connect("chatty");
        _time.Advance(Interval * 2);
        chatty.Touch(_time.GetUtcNow());
        _time.Advance(Interval);

        var closed = NewSweeper().SweepOnce();

        Assert.Equal(1, closed);
        Assert.True(silent.Closed.IsCancellationRequested);
        Assert.Equal(StatusCode.Unavailable, silent.CloseStatus.StatusCode);
        Assert.False(chatty.Closed.IsCancellationRequested);
        Assert.Null(_registry.Find(silent.AgentId));
        Assert.Same(chatty, _registry.Find(chatty.AgentId));
    }

    [Fact]
    public void SweepOnce_JustUnderThreeIntervals_ClosesNothing()
    {
        using var connection = Connect("web-1");
        _time.Advance((Interval * 3) - TimeSpan.FromMilliseconds(1));

        Assert.Equal(0, NewSweeper().SweepOnce());
        Assert.False(connection.Closed.IsCancellationRequested);
    }

    [Fact]
    public void Register_SameAgentTwice_OlderStreamClosedNewerKept()
    {
        var id = Guid.NewGuid();
        using var first = new AgentConnection(id, "web-1", Now);
        using var second = new AgentConnection(id, "web-1", Now);
        _registry.Register(first);

        _registry.Register(second);
        _registry.Unregister(first);

        Assert.True(first.Closed.IsCancellationRequested);
        Assert.Same(second, _registry.Find(id));
        Assert.Equal(1, _registry.Count);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private AgentConnection Connect(string name)
    {
        var connection = new AgentConnection(Guid.NewGuid(), name, Now);
        _registry.Register(connection);
        return connection;
    }

    private DownSweeper NewSweeper() =>
        new(_registry, Options.Create(new ControllerOptions { HeartbeatInterval = Interval }), _time, new FakeLogger<DownSweeper>());
}
