using System.Security.Cryptography;

namespace Fleet.Agent.Backups;

/// <summary>Read-only stream over a <see cref="BackupFormat"/> backup; refuses tampering, truncation and a wrong key.</summary>
internal sealed class DecryptingStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _header;
    private readonly byte[] _aad;
    private readonly AesGcm _cipher;
    private readonly byte[] _sealed;
    private readonly byte[] _plain;
    private readonly byte[] _nonce = new byte[12];
    private int _start;
    private int _end;
    private uint _counter;
    private bool _finalSeen;

    private DecryptingStream(Stream inner, byte[] header, BackupKey key, int chunkSize)
    {
        _inner = inner;
        _header = header;
        _aad = BackupFormat.CreateAad(header);
        _cipher = BackupFormat.CreateCipher(key, header);
        _sealed = new byte[chunkSize + BackupFormat.TagSize];
        _plain = new byte[chunkSize];
    }

    /// <summary>Reads and checks the header; throws <see cref="BackupException"/> for a foreign file or the wrong key.</summary>
    public static async Task<DecryptingStream> OpenAsync(Stream inner, BackupKey key, CancellationToken cancellationToken)
    {
        var header = new byte[BackupFormat.HeaderSize];
        var read = await inner.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (read < header.Length)
        {
            throw new BackupException("not a Fleet backup (shorter than its header)");
        }
        var chunkSize = BackupFormat.ReadHeader(header, key);
        return new DecryptingStream(inner, header, key, chunkSize);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_start == _end && !_finalSeen)
        {
            Open(_inner.ReadAtLeast(_sealed, _sealed.Length, throwOnEndOfStream: false));
        }
        return Drain(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_start == _end && !_finalSeen)
        {
            Open(await _inner.ReadAtLeastAsync(_sealed, _sealed.Length, throwOnEndOfStream: false, cancellationToken));
        }
        return Drain(buffer.Span);
    }

    private int Drain(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _end - _start);
        _plain.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        return n;
    }

    private void Open(int read)
    {
        if (read < BackupFormat.TagSize)
        {
            throw new BackupException($"backup is truncated (no final chunk after chunk {_counter})");
        }
        // Only the final chunk is shorter than a full one (see BackupFormat).
        var final = read < _sealed.Length;
        var length = read - BackupFormat.TagSize;
        BackupFormat.WriteNonce(_header, _counter, _nonce);
        _aad[^1] = final ? (byte)1 : (byte)0;
        try
        {
            _cipher.Decrypt(_nonce, _sealed.AsSpan(0, length), _sealed.AsSpan(length, BackupFormat.TagSize), _plain.AsSpan(0, length), _aad);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new BackupException($"backup is corrupt or truncated: chunk {_counter} failed authentication", ex);
        }
        _counter++;
        _start = 0;
        _end = length;
        _finalSeen = final;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cipher.Dispose();
        }
        base.Dispose(disposing);
    }
}
