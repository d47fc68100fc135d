using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Fleet.Agent.Backups;

/// <summary>
/// Streams one object into S3: a single PUT when it fits in one part, else a multipart upload
/// with at most one part in flight while the next fills (memory: two parts). Disposing without
/// completing aborts the multipart upload so no hidden parts stay billed. Bodies are buffered,
/// so they are signed whole instead of with aws-chunked encoding, which S3-compatible servers
/// (s3rver, GCS XML API) store verbatim or refuse.
/// </summary>
internal sealed class S3Upload(IAmazonS3 client, string bucket, string key, int partSize) : Stream, IBackupUpload
{
    private readonly List<PartETag> _parts = [];
    private byte[] _buffer = new byte[partSize];
    private byte[] _spare = new byte[partSize];
    private int _filled;
    private int _partCount;
    private string? _uploadId;
    private Task? _inFlight;
    private bool _completed;

    public Stream Stream => this;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var n = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer[..n].CopyTo(_buffer.AsMemory(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _buffer.Length)
            {
                await StartPartAsync(cancellationToken);
            }
        }
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            using var body = new MemoryStream(_buffer, 0, _filled, writable: false);
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, AutoCloseStream = false, UseChunkEncoding = false }, cancellationToken);
        }
        else
        {
            if (_filled > 0)
            {
                await StartPartAsync(cancellationToken);
            }
            await _inFlight!;
            await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = _uploadId,
                PartETags = [.. _parts.OrderBy(p => p.PartNumber)],
            }, cancellationToken);
        }
        _completed = true;
    }

    private async Task StartPartAsync(CancellationToken cancellationToken)
    {
        _uploadId ??= (await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, cancellationToken)).UploadId;
        if (_inFlight is not null)
        {
            await _inFlight;
        }
        var full = _buffer;
        var length = _filled;
        (_buffer, _spare) = (_spare, _buffer);
        _filled = 0;
        _inFlight = UploadPartAsync(full, length, ++_partCount, cancellationToken);
    }

    private async Task UploadPartAsync(byte[] data, int length, int partNumber, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(data, 0, length, writable: false);
        var response = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = _uploadId,
            PartNumber = partNumber,
            InputStream = body,
            PartSize = length,
            UseChunkEncoding = false,
        }, cancellationToken);
        _parts.Add(new PartETag(partNumber, response.ETag));
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_completed && _uploadId is not null)
        {
            try
            {
                if (_inFlight is not null)
                {
                    await _inFlight;
                }
            }
            catch (Exception)
            {
                // The part failed; the abort below discards the whole upload anyway.
            }
            try
            {
                await client.AbortMultipartUploadAsync(bucket, key, _uploadId, CancellationToken.None);
            }
            catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or IOException)
            {
                // The store is failing too: the original error is what the operator must see, and
                // retention aborts the leftover upload later.
            }
        }
        _completed = true;
        await base.DisposeAsync();
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
