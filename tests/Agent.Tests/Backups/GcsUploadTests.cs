using Fleet.Agent.Backups;

namespace Fleet.Agent.Tests.Backups;

public sealed class GcsUploadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CompleteAsync_AfterWrites_UploadReadsEveryByteThenEndOfStream()
    {
        var received = new MemoryStream();
        await using var upload = new GcsUpload((source, ct) => source.CopyToAsync(received, ct));
        var data = Enumerable.Range(0, 3_000_000).Select(i => (byte)i).ToArray();

        await upload.Stream.WriteAsync(data, Ct);
        await upload.CompleteAsync(Ct);

        Assert.Equal(data, received.ToArray());
    }

    [Fact]
    public async Task WriteAsync_UploadNotReading_WriterWaitsInsteadOfBuffering()
    {
        var reading = new TaskCompletionSource();
        await using var upload = new GcsUpload(async (source, ct) =>
        {
            await reading.Task.WaitAsync(ct);
            await source.CopyToAsync(Stream.Null, ct);
        });

        var write = upload.Stream.WriteAsync(new byte[4 * 1024 * 1024], Ct);

        Assert.False(write.IsCompleted);
        reading.SetResult();
        await write;
        await upload.CompleteAsync(Ct);
    }

    [Fact]
    public async Task WriteAsync_UploadFailed_ThrowsTheUploadsError()
    {
        await using var upload = new GcsUpload((_, _) => throw new IOException("bucket refused the upload"));

        var error = await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await upload.Stream.WriteAsync(new byte[1024 * 1024], Ct);
            }
        });

        Assert.Equal("bucket refused the upload", error.Message);
    }

    [Fact]
    public async Task DisposeAsync_WithoutComplete_UploadSeesAnErrorNotEndOfStream()
    {
        var outcome = new TaskCompletionSource<string>();
        var upload = new GcsUpload(async (source, ct) =>
        {
            try
            {
                await source.CopyToAsync(Stream.Null, ct);
                outcome.SetResult("end of stream: the object would be finalised");
            }
            catch (OperationCanceledException)
            {
                outcome.SetResult("failed");
                throw;
            }
        });
        await upload.Stream.WriteAsync(new byte[100], Ct);

        await upload.DisposeAsync();

        Assert.Equal("failed", await outcome.Task.WaitAsync(Ct));
    }
}
