using Fleet.Agent.Connection;
using Fleet.Contracts.V1;

namespace Fleet.Agent.Tests.Connection;

public sealed partial class ControllerStreamWorkerTests
{
    [Fact]
    public async Task ConnectOnceAsync_ReleasesApplied_HelloReportsThemAndTheCapability()
    {
        var stream = new FakeControllerStream();
        var releases = new FakeReleaseAssignments(new AppliedRelease { App = "shop", Environment = "staging", Sequence = 4 });
        using var worker = Worker(new FakeControllerStreamClient().Then(stream), releases);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = worker.ConnectOnceAsync(stop.Token);
        var hello = await stream.NextSentAsync();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Contains(ControllerStreamWorker.ReleasesCapability, hello.Hello.Capabilities);
        var applied = Assert.Single(hello.Hello.Applied);
        Assert.Equal(("shop", "staging", 4L), (applied.App, applied.Environment, applied.Sequence));
    }

    [Fact]
    public async Task ConnectOnceAsync_AssignmentReceived_PostedToTheQueue()
    {
        var stream = new FakeControllerStream();
        var releases = new FakeReleaseAssignments();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream), releases);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = worker.ConnectOnceAsync(stop.Token);
        await stream.NextSentAsync();
        stream.Settings(5);
        stream.Reply(new ControllerMessage { Assignment = new ReleaseAssignment { App = "shop", Sequence = 9, Action = AssignmentAction.Apply } });
        await PollAsync(() => !releases.Posted.IsEmpty);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var posted = Assert.Single(releases.Posted);
        Assert.Equal(("shop", 9L), (posted.App, posted.Sequence));
    }

    [Fact]
    public async Task ConnectOnceAsync_PendingAndNewEvents_SentAfterConnectAndAckRemovesThem()
    {
        var token = TestContext.Current.CancellationToken;
        await _outbox.AppendAsync(new AgentEvent { App = "shop", Kind = AgentEventKind.Progress, Step = "pulling" }, token);
        var stream = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(stream));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);

        var run = worker.ConnectOnceAsync(stop.Token);
        await stream.NextSentAsync();
        stream.Settings(5);
        var sent = new List<AgentMessage> { await stream.NextSentAsync(), await stream.NextSentAsync() };
        await _outbox.AppendAsync(new AgentEvent { App = "shop", Kind = AgentEventKind.Applied }, token);
        sent.Add(await stream.NextSentAsync());
        stream.Reply(new ControllerMessage { EventAck = new EventAck { Sequence = 2 } });
        await PollAsync(() => _outbox.ReadPendingAsync(0, 10, token).Result.Count == 0);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var events = sent.Where(m => m.KindCase == AgentMessage.KindOneofCase.Event).Select(m => m.Event).ToList();
        Assert.Equal([1L, 2L], events.Select(e => e.Sequence));
        Assert.Equal([AgentEventKind.Progress, AgentEventKind.Applied], events.Select(e => e.Kind));
    }

    [Fact]
    public async Task ConnectOnceAsync_Reconnect_ResendsEventsNotAcknowledged()
    {
        var token = TestContext.Current.CancellationToken;
        await _outbox.AppendAsync(new AgentEvent { App = "shop", Kind = AgentEventKind.Healthy }, token);
        var first = new FakeControllerStream();
        var second = new FakeControllerStream();
        using var worker = Worker(new FakeControllerStreamClient().Then(first).Then(second));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);

        var run = worker.ConnectOnceAsync(stop.Token);
        await first.NextSentAsync();
        first.Settings(5);
        var firstEvent = await NextEventAsync(first);
        first.End();
        await run;
        run = worker.ConnectOnceAsync(stop.Token);
        await second.NextSentAsync();
        second.Settings(5);
        var resent = await NextEventAsync(second);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(1, firstEvent.Sequence);
        Assert.Equal(1, resent.Sequence);
    }

    private static async Task<AgentEvent> NextEventAsync(FakeControllerStream stream)
    {
        while (true)
        {
            var message = await stream.NextSentAsync();
            if (message.KindCase == AgentMessage.KindOneofCase.Event)
            {
                return message.Event;
            }
        }
    }
}
