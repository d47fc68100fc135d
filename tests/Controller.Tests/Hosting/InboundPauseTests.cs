using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Fleet.Controller.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Controller.Tests.Hosting;

public sealed class InboundPauseTests : IDisposable
{
    private const int Resumed = 1041;

    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger<InboundPause> _logger = new();
    private readonly InboundPause _pause;

    public InboundPauseTests() => _pause = new InboundPause(_time, _logger);

    public void Dispose() => _pause.Dispose();

    [Fact]
    public async Task Read_NoPause_BytesPassStraightThrough()
    {
        var connection = await ConnectAsync();

        await connection.ArriveAsync("heartbeat");
        var read = connection.Transport.Input.ReadAsync(TestContext.Current.CancellationToken);

        Assert.True(read.IsCompleted);
        Assert.Equal("heartbeat", Text(await read));
    }

    [Fact]
    public async Task Read_DuringPause_HandedOnOnlyOnceTheConnectionWasWrittenToAndAnswered()
    {
        var connection = await ConnectAsync();
        Assert.True(_pause.TryBegin(out var pause));
        var read = await connection.ArriveWhileReadingAsync("progress");
        _pause.Expect(pause, 1);

        Assert.False(read.IsCompleted);
        Assert.True(_pause.IsPaused);
        await connection.WriteAsync("assignment");

        Assert.False(_pause.IsPaused);
        Assert.Equal("progress", Text(await read));
        var resumed = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == Resumed);
        Assert.Contains("1 connections answered (the wave is out)", resumed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_OneConnectionWritesAndReadsAgain_CountsOnce()
    {
        var (first, second) = (await ConnectAsync(), await ConnectAsync());
        Assert.True(_pause.TryBegin(out var pause));
        _pause.Expect(pause, 2);

        await first.WriteAsync("assignment");
        await first.ArriveWhileReadingAsync("progress");
        await first.WriteAsync("more");
        Assert.True(_pause.IsPaused);

        await second.ArriveWhileReadingAsync("heartbeat");
        await second.WriteAsync("assignment");
        Assert.False(_pause.IsPaused);
    }

    [Fact]
    public async Task Expect_EveryConnectionAnsweredWhileTheWaveWasQueued_EndsAtOnce()
    {
        var connection = await ConnectAsync();
        Assert.True(_pause.TryBegin(out var pause));
        await connection.WriteAsync("assignment");
        await connection.ArriveWhileReadingAsync("progress");
        Assert.True(_pause.IsPaused);

        _pause.Expect(pause, 1);

        Assert.False(_pause.IsPaused);
    }

    [Fact]
    public async Task Pause_AConnectionNeverAnswers_EndsAtTheLimitAndHandsOnWhatArrived()
    {
        var (silent, answering) = (await ConnectAsync(), await ConnectAsync());
        Assert.True(_pause.TryBegin(out var pause));
        _pause.Expect(pause, 2);
        await silent.WriteAsync("assignment");
        await answering.WriteAsync("assignment");
        var read = await answering.ArriveWhileReadingAsync("progress");

        _time.Advance(InboundPause.Limit - TimeSpan.FromMilliseconds(1));
        Assert.True(_pause.IsPaused);
        Assert.False(read.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(_pause.IsPaused);
        Assert.Equal("progress", Text(await read));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == Resumed && r.Message.Contains("1 connections answered (time limit reached)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TryBegin_DuringAPause_RefusedAndTheNextPauseCountsAfresh()
    {
        var connection = await ConnectAsync();
        Assert.True(_pause.TryBegin(out var earlier));
        Assert.False(_pause.TryBegin(out _));
        await connection.WriteAsync("assignment");
        var first = await connection.ArriveWhileReadingAsync("progress");
        _pause.Expect(earlier, 1);
        Assert.False(_pause.IsPaused);
        connection.Transport.Input.AdvanceTo((await first).Buffer.End);

        Assert.True(_pause.TryBegin(out var later));
        _pause.Expect(later, 1);
        await connection.WriteAsync("assignment");
        // A late word about the pause before changes nothing in this one.
        _pause.Expect(earlier, 0);
        Assert.True(_pause.IsPaused);
        var read = await connection.ArriveWhileReadingAsync("progress");

        Assert.False(_pause.IsPaused);
        Assert.Equal("progress", Text(await read));
    }

    [Fact]
    public async Task Read_BytesWaitingBeforeThePause_HandedOnWhenItEnds()
    {
        var connection = await ConnectAsync();
        await connection.ArriveAsync("heartbeat");
        Assert.True(_pause.TryBegin(out var pause));

        var read = connection.Transport.Input.ReadAsync(TestContext.Current.CancellationToken);
        Assert.False(read.IsCompleted);
        _time.Advance(InboundPause.Limit);

        Assert.Equal("heartbeat", Text(await read));
    }

    [Fact]
    public async Task TryRead_DuringPause_NothingAvailable()
    {
        var connection = await ConnectAsync();
        await connection.ArriveAsync("heartbeat");
        Assert.True(_pause.TryBegin(out var pause));

        Assert.False(connection.Transport.Input.TryRead(out _));
        _time.Advance(InboundPause.Limit);

        Assert.True(connection.Transport.Input.TryRead(out var result));
        Assert.Equal("heartbeat", Text(result));
    }

    private async Task<Connection> ConnectAsync()
    {
        // Inline schedulers: a write completes the other side's read before it returns.
        var options = new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false);
        var (incoming, outgoing) = (new Pipe(options), new Pipe(options));
        var context = new DefaultConnectionContext(Guid.NewGuid().ToString(), new DuplexPipe(incoming.Reader, outgoing.Writer), new DuplexPipe(outgoing.Reader, incoming.Writer));
        IDuplexPipe? wrapped = null;
        await _pause.Wrap(context, c =>
        {
            wrapped = c.Transport;
            return Task.CompletedTask;
        });
        return new Connection(wrapped!, incoming.Writer);
    }

    private static string Text(ReadResult result) => Encoding.UTF8.GetString(result.Buffer.ToArray());

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>The controller's side of one connection (<see cref="Transport"/>) and the peer's writer.</summary>
    private sealed record Connection(IDuplexPipe Transport, PipeWriter Peer)
    {
        public async Task ArriveAsync(string text) => await Peer.WriteAsync(Encoding.UTF8.GetBytes(text));

        /// <summary>Bytes arrive while a read waits for them, as Kestrel always has one waiting; returns that read.</summary>
        public async Task<ValueTask<ReadResult>> ArriveWhileReadingAsync(string text)
        {
            var read = Transport.Input.ReadAsync(TestContext.Current.CancellationToken);
            await ArriveAsync(text);
            return read;
        }

        public async Task WriteAsync(string text) => await Transport.Output.WriteAsync(Encoding.UTF8.GetBytes(text));
    }
}
