using System.Text;
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

    private static async Task<long> CopyDumpAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[256 * 1024];
        long total = 0;
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (total < CustomFormatMagic.Length)
            {
                var check = Math.Min(n, CustomFormatMagic.Length - (int)total);
                if (!buffer.AsSpan(0, check).SequenceEqual(CustomFormatMagic.AsSpan((int)total, check)))
                {
                    throw new BackupException("pg_dump output is not a custom-format archive");
                }
            }
            total += n;
            await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }
        return total;
    }
}
