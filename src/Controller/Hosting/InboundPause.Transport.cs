using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Fleet.Controller.Hosting;

internal sealed partial class InboundPause
{
    /// <summary>
    /// One connection's raw transport: reads wait out a pause; a write and a read in the same
    /// pause count the connection as answered.
    /// </summary>
    private sealed class PausableTransport : IDuplexPipe
    {
        private const long Wrote = 1, Read = 2;

        private readonly InboundPause _pause;
        // (pause number << 2) | Wrote | Read: what this connection did in that pause.
        private long _seen;

        public PausableTransport(InboundPause pause, IDuplexPipe transport)
        {
            _pause = pause;
            Input = new PausableReader(this, transport.Input);
            Output = new NotingWriter(this, transport.Output);
        }

        public PipeReader Input { get; }

        public PipeWriter Output { get; }

        public InboundPause Pause => _pause;

        private void Note(long what)
        {
            long pause = _pause.Running;
            if (pause == 0)
            {
                return;
            }

            long seen, next;
            do
            {
                seen = Volatile.Read(ref _seen);
                next = (seen >> 2 == pause ? seen : pause << 2) | what;
                if (next == seen)
                {
                    return;
                }
            }
            while (Interlocked.CompareExchange(ref _seen, next, seen) != seen);

            if ((next & (Wrote | Read)) == (Wrote | Read))
            {
                _pause.Answered();
            }
        }

        public void NoteRead() => Note(Read);

        public void NoteWrite() => Note(Wrote);
    }

    private sealed class PausableReader(PausableTransport transport, PipeReader inner) : PipeReader
    {
        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var read = inner.ReadAsync(cancellationToken);
            // A read still waiting for bytes is checked when they come: a pause may begin meanwhile.
            return read.IsCompleted && !transport.Pause.IsPaused ? read : HandOnAsync(read, cancellationToken);
        }

        public override bool TryRead(out ReadResult result)
        {
            if (transport.Pause.IsPaused)
            {
                result = default;
                return false;
            }

            return inner.TryRead(out result);
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        // Pooled: every idle connection has a read waiting here.
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<ReadResult> HandOnAsync(ValueTask<ReadResult> read, CancellationToken cancellationToken)
        {
            var result = await read;
            if (transport.Pause.Current is { } paused)
            {
                transport.NoteRead();
                await paused.WaitAsync(cancellationToken);
            }

            return result;
        }
    }

    private sealed class NotingWriter(PausableTransport transport, PipeWriter inner) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            transport.NoteWrite();
            return inner.FlushAsync(cancellationToken);
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            transport.NoteWrite();
            return inner.WriteAsync(source, cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }
}
