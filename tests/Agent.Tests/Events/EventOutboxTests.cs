using Fleet.Agent.Events;
using Fleet.Agent.Tests.Support;
using Fleet.Contracts.V1;

namespace Fleet.Agent.Tests.Events;

public sealed class EventOutboxTests : IDisposable
{
    private readonly TempDir _dir = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendAsync_SeveralEvents_NumbersThemFromOneAndKeepsThemPending()
    {
        using var outbox = new EventOutbox(_dir.Path);

        var first = await outbox.AppendAsync(Event("pulling"), Token);
        var second = await outbox.AppendAsync(Event("starting"), Token);
        var pending = await outbox.ReadPendingAsync(0, 100, Token);

        Assert.Equal([1L, 2L], [first.Sequence, second.Sequence]);
        Assert.Equal(["pulling", "starting"], pending.Select(e => e.Step));
        Assert.Equal("shop", pending[0].App);
    }

    [Fact]
    public async Task AppendAsync_AfterRestart_ContinuesTheSequence()
    {
        using (var before = new EventOutbox(_dir.Path))
        {
            await before.AppendAsync(Event("a"), Token);
            await before.AppendAsync(Event("b"), Token);
        }

        using var after = new EventOutbox(_dir.Path);
        var next = await after.AppendAsync(Event("c"), Token);

        Assert.Equal(3, next.Sequence);
        Assert.Equal(3, (await after.ReadPendingAsync(0, 100, Token)).Count);
    }

    [Fact]
    public async Task AcknowledgeAsync_AllAcknowledgedThenRestart_SequenceStillContinues()
    {
        using (var before = new EventOutbox(_dir.Path))
        {
            await before.AppendAsync(Event("a"), Token);
            await before.AppendAsync(Event("b"), Token);
            await before.AcknowledgeAsync(2, Token);
        }

        using var after = new EventOutbox(_dir.Path);
        var next = await after.AppendAsync(Event("c"), Token);

        Assert.Equal(3, next.Sequence);
    }

    [Fact]
    public async Task AcknowledgeAsync_Partial_RemovesOnlyAcknowledgedLines()
    {
        using var outbox = new EventOutbox(_dir.Path);
        for (var i = 0; i < 4; i++)
        {
            await outbox.AppendAsync(Event($"step{i}"), Token);
        }

        await outbox.AcknowledgeAsync(2, Token);

        Assert.Equal([3L, 4L], (await outbox.ReadPendingAsync(0, 100, Token)).Select(e => e.Sequence));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(_dir.Path, "events", "outbox.jsonl")).Length);
    }

    [Fact]
    public async Task AcknowledgeAsync_BeyondLastWritten_ClampedSoLaterEventsAreNotSkipped()
    {
        using var outbox = new EventOutbox(_dir.Path);
        await outbox.AppendAsync(Event("a"), Token);

        await outbox.AcknowledgeAsync(50, Token);
        var next = await outbox.AppendAsync(Event("b"), Token);

        Assert.Equal(2, next.Sequence);
        Assert.Equal([2L], (await outbox.ReadPendingAsync(0, 100, Token)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task ReadPendingAsync_AfterAndMax_ReturnsTheNextWindow()
    {
        using var outbox = new EventOutbox(_dir.Path);
        for (var i = 0; i < 5; i++)
        {
            await outbox.AppendAsync(Event($"step{i}"), Token);
        }

        var window = await outbox.ReadPendingAsync(after: 1, max: 2, Token);

        Assert.Equal([2L, 3L], window.Select(e => e.Sequence));
    }

    [Fact]
    public async Task AppendAsync_AfterTornLastLine_DropsTheTornLineAndWritesACleanOne()
    {
        using (var before = new EventOutbox(_dir.Path))
        {
            await before.AppendAsync(Event("a"), Token);
        }

        File.AppendAllText(Path.Combine(_dir.Path, "events", "outbox.jsonl"), "{\"sequence\": \"2\", \"app\":");
        using var after = new EventOutbox(_dir.Path);
        var next = await after.AppendAsync(Event("b"), Token);

        Assert.Equal(2, next.Sequence);
        Assert.Equal(["a", "b"], (await after.ReadPendingAsync(0, 100, Token)).Select(e => e.Step));
    }

    [Fact]
    public async Task WaitForEventAfterAsync_CompletesOnlyWhenANewerEventIsWritten()
    {
        using var outbox = new EventOutbox(_dir.Path);
        await outbox.AppendAsync(Event("a"), Token);

        var waiting = outbox.WaitForEventAfterAsync(1, Token);
        var alreadyThere = outbox.WaitForEventAfterAsync(0, Token);
        await alreadyThere;
        Assert.False(waiting.IsCompleted);
        await outbox.AppendAsync(Event("b"), Token);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), Token);

        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AppendAsync_File_IsPrivate()
    {
        using var outbox = new EventOutbox(_dir.Path);

        await outbox.AppendAsync(Event("a"), Token);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir.Path, "events", "outbox.jsonl")));
    }

    public void Dispose() => _dir.Dispose();

    private static AgentEvent Event(string step) => new()
    {
        App = "shop",
        RolloutId = "r1",
        ReleaseSequence = 7,
        Kind = AgentEventKind.Progress,
        Step = step,
    };
}
