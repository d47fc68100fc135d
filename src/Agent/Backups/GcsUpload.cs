using System.IO.Pipelines;

namespace Fleet.Agent.Backups;

/// <summary>
/// Turns the pipeline's writes into the stream a resumable upload reads: <c>upload</c> runs in
/// the background and reads what is written through a pipe, so memory holds the pipe's window
/// plus the client's one chunk, never the whole dump. The object appears only when the final
/// chunk is committed, which happens after <see cref="CompleteAsync"/> ends the stream;
/// disposing without completing fails the stream instead, so the upload is never finalised.
/// </summary>
internal sealed class GcsUpload : IBackupUpload
{
    private static readonly PipeOptions Window = new(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024);

    private readonly Pipe _pipe = new(Window);
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _upload;
    private bool _finished;

    public GcsUpload(Func<Stream, CancellationToken, Task> upload)
    {
        Stream = _pipe.Writer.AsStream();
        _upload = Task.Run(() => RunAsync(upload));
    }

    public Stream Stream { get; }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        _finished = true;
        await _pipe.Writer.CompleteAsync();
        await _upload.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _finished = true;
            await _pipe.Writer.CompleteAsync(new OperationCanceledException("the backup was abandoned before it completed"));
            await _abort.CancelAsync();
            try
            {
                await _upload;
            }
            catch (Exception)
            {
                // Expected: the upload was made to fail so that nothing is finalised.
            }
        }
        _abort.Dispose();
    }

    private async Task RunAsync(Func<Stream, CancellationToken, Task> upload)
    {
        var source = _pipe.Reader.AsStream();
        try
        {
            await upload(source, _abort.Token);
        }
        catch (Exception ex)
        {
            // The writer must not block on a pipe nobody reads any more: its next write fails with this.
            await _pipe.Reader.CompleteAsync(ex);
            throw;
        }
        await _pipe.Reader.CompleteAsync();
    }
}
