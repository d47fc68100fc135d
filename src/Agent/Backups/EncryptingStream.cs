using System.Security.Cryptography;

namespace Fleet.Agent.Backups;

/// <summary>
/// Write-only stream that encrypts into <see cref="BackupFormat"/>. The data is complete only
/// after <see cref="FinishAsync"/>: disposing without it leaves no final chunk, which a reader
/// refuses as truncated.
/// </summary>
internal sealed class EncryptingStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _header;
    private readonly byte[] _aad;
    private readonly AesGcm _cipher;
    private readonly byte[] _plain;
    private readonly byte[] _sealed;
    private readonly byte[] _nonce = new byte[12];
    private int _filled;
    private uint _counter;
    private bool _headerWritten;
    private bool _finished;

    public EncryptingStream(Stream inner, BackupKey key, int chunkSize = BackupFormat.DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, BackupFormat.MinChunkSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, BackupFormat.MaxChunkSize);
        _inner = inner;
        _header = BackupFormat.CreateHeader(key, chunkSize);
        _aad = BackupFormat.CreateAad(_header);
        _cipher = BackupFormat.CreateCipher(key, _header);
        _plain = new byte[chunkSize];
        _sealed = new byte[chunkSize + BackupFormat.TagSize];
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            buffer = Fill(buffer);
            if (_filled == _plain.Length)
            {
                _inner.Write(SealChunk(final: false).Span);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var taken = buffer.Length - Fill(buffer.Span).Length;
            buffer = buffer[taken..];
            if (_filled == _plain.Length)
            {
                await _inner.WriteAsync(SealChunk(final: false), cancellationToken);
            }
        }
    }

    /// <summary>Writes the final chunk; the stored data is complete afterwards.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        await _inner.WriteAsync(SealChunk(final: true), cancellationToken);
        await _inner.FlushAsync(cancellationToken);
        _finished = true;
    }

    public override void Flush()
    {
        // Nothing to flush: only whole chunks can be written, and FinishAsync writes the rest.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private ReadOnlySpan<byte> Fill(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var n = Math.Min(buffer.Length, _plain.Length - _filled);
        buffer[..n].CopyTo(_plain.AsSpan(_filled));
        _filled += n;
        return buffer[n..];
    }

    private ReadOnlyMemory<byte> SealChunk(bool final)
    {
        if (_counter == uint.MaxValue)
        {
            throw new BackupException("backup too large for the format (2^32 chunks)");
        }
        var prefix = _headerWritten ? 0 : BackupFormat.HeaderSize;
        var output = prefix == 0 ? _sealed : new byte[prefix + _filled + BackupFormat.TagSize];
        if (prefix > 0)
        {
            _header.CopyTo(output, 0);
            _headerWritten = true;
        }
        BackupFormat.WriteNonce(_header, _counter++, _nonce);
        _aad[^1] = final ? (byte)1 : (byte)0;
        var length = _filled;
        _cipher.Encrypt(_nonce, _plain.AsSpan(0, length), output.AsSpan(prefix, length), output.AsSpan(prefix + length, BackupFormat.TagSize), _aad);
        _filled = 0;
        return output.AsMemory(0, prefix + length + BackupFormat.TagSize);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cipher.Dispose();
        }
        base.Dispose(disposing);
    }
}
