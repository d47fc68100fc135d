using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Fleet.Agent.Backups;

/// <summary>
/// pg_dump (custom format, its own compression off) → zstd (worker threads) → chunked
/// AES-256-GCM → SHA-256 → store, all streamed: memory is a few chunk buffers plus zstd's
/// window, whatever the database size, and no temporary file holds the dump.
/// </summary>
internal sealed class BackupPipeline(PostgresTools tools, IOptions<BackupsOptions> options)
{
    private const int BlockSize = 1024 * 1024;
    private const int QueuedBlocks = 4;
    private const int CompressionJobSize = 2 * 1024 * 1024;
    private static readonly byte[] CustomFormatMagic = Encoding.ASCII.GetBytes("PGDMP");

    /// <summary>Dumps the declaration's database into <paramref name="destination"/>; throws <see cref="BackupException"/> on any failure.</summary>
    public async Task<(long Size, string Sha256)> DumpAsync(BackupDeclaration declaration, BackupKey key, Stream destination, CancellationToken cancellationToken)
    {
        var psi = tools.Command(declaration, "pg_dump", "--format=custom", "--compress=0", "--dbname", declaration.Database);
        await using var pgDump = ToolProcess.Start(psi);
        using var hashing = new HashingStream(destination);
        using var encrypting = new EncryptingStream(hashing, key);
        long dumped;
        var compressing = new CompressionStream(encrypting, options.Value.CompressionLevel, leaveOpen: true);
        await using (compressing.ConfigureAwait(false))
        {
            if (options.Value.CompressionWorkers > 0)
            {
                compressing.SetParameter(ZSTD_cParameter.ZSTD_c_nbWorkers, options.Value.CompressionWorkers);
                // Each worker holds a few jobs' input and output; small jobs keep that memory low.
                compressing.SetParameter(ZSTD_cParameter.ZSTD_c_jobSize, CompressionJobSize);
            }
            dumped = await CopyDumpAsync(pgDump.Stdout, compressing, cancellationToken);
            // Exit status first: a dump that died midway must fail even though its bytes looked fine.
            await pgDump.WaitForSuccessAsync(cancellationToken);
            if (dumped == 0)
            {
                throw new BackupException("pg_dump produced no output");
            }
        }
        await encrypting.FinishAsync(cancellationToken);
        return (hashing.BytesWritten, hashing.Sha256Hex());
    }

    /// <summary>
    /// Copies pg_dump's output into the compressor through a small bounded queue, so reading the
    /// pipe (and pg_dump itself) keeps going while a block compresses: the two overlap on two
    /// cores instead of taking turns. The pipe is read with blocking reads on a dedicated thread:
    /// asynchronous 64 KiB pipe reads cost an epoll round and a thread-pool hop each, which showed
    /// as most of the pipeline's CPU. Memory: at most <see cref="QueuedBlocks"/> + 2 blocks.
    /// </summary>
    private static async Task<long> CopyDumpAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<(byte[] Block, int Length)>(new BoundedChannelOptions(QueuedBlocks) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Factory.StartNew(() => ReadBlocks(source, queue.Writer, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        long total = 0;
        try
        {
            await foreach (var (block, length) in queue.Reader.ReadAllAsync(cancellationToken))
            {
                if (total < CustomFormatMagic.Length)
                {
                    var check = Math.Min(length, CustomFormatMagic.Length - (int)total);
                    if (!block.AsSpan(0, check).SequenceEqual(CustomFormatMagic.AsSpan((int)total, check)))
                    {
                        throw new BackupException("pg_dump output is not a custom-format archive");
                    }
                }
                total += length;
                await destination.WriteAsync(block.AsMemory(0, length), cancellationToken);
                ArrayPool<byte>.Shared.Return(block);
            }
        }
        catch
        {
            // Not awaited: the reader may sit in a blocking read until the caller kills pg_dump.
            await stop.CancelAsync();
            throw;
        }
        await reading;
        return total;
    }

    private static void ReadBlocks(Stream source, ChannelWriter<(byte[] Block, int Length)> queue, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var block = ArrayPool<byte>.Shared.Rent(BlockSize);
                var length = source.ReadAtLeast(block.AsSpan(0, BlockSize), BlockSize, throwOnEndOfStream: false);
                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(block);
                    break;
                }
                while (!queue.TryWrite((block, length)))
                {
                    // A blocking wait is right here: this is the reader's own long-running thread.
                    if (!queue.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                    {
                        return;
                    }
                }
                if (length < BlockSize)
                {
                    break;
                }
            }
            queue.Complete();
        }
        catch (Exception ex)
        {
            queue.TryComplete(ex);
        }
    }
}
