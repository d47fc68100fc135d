using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Fleet.Agent.Backups;

/// <summary>
/// Stored backup format v1 (zstd-compressed pg_dump custom archive, then chunked AES-256-GCM).
/// <code>
/// header (60 bytes):
///   magic "FLEETBK" (7) | version 0x01 (1) | chunk size, uint32 BE (4) | key id (8)
///   | salt (32, random per backup) | nonce prefix (8, random per backup)
/// chunks, in order, i = 0, 1, 2, ...:
///   ciphertext (chunk size bytes, or fewer for the final chunk) | GCM tag (16)
/// </code>
/// Each backup encrypts with its own subkey = HKDF-SHA256(master key, salt, "fleet-backup v1"),
/// so nonces never repeat across backups. Chunk i's nonce is nonce prefix || uint32 BE i. The
/// AAD of every chunk is the whole header followed by one byte: 1 for the final chunk, else 0.
/// Every chunk but the last holds exactly chunk size plaintext bytes; the last holds fewer (maybe
/// none), so a reader knows the last chunk by its short length, and cutting the file anywhere
/// (even on a chunk boundary) fails authentication or leaves no final chunk. Reordering chunks
/// fails (counter in the nonce), as do edits to the header (AAD) or a different key (subkey).
/// </summary>
internal static class BackupFormat
{
    public const int HeaderSize = 60;
    public const int TagSize = 16;
    public const int DefaultChunkSize = 1024 * 1024;
    public const int MinChunkSize = 4096;
    public const int MaxChunkSize = 16 * 1024 * 1024;
    public const byte Version = 1;

    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("FLEETBK");
    private static readonly byte[] KdfInfo = Encoding.ASCII.GetBytes("fleet-backup v1");

    public static byte[] CreateHeader(BackupKey key, int chunkSize)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        header[7] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)chunkSize);
        key.Id.CopyTo(header, 12);
        RandomNumberGenerator.Fill(header.AsSpan(20, 40));
        return header;
    }

    /// <summary>Checks a header against the key and returns the chunk size.</summary>
    public static int ReadHeader(ReadOnlySpan<byte> header, BackupKey key)
    {
        if (header.Length < HeaderSize || !header[..7].SequenceEqual(Magic))
        {
            throw new BackupException("not a Fleet backup (bad magic)");
        }
        if (header[7] != Version)
        {
            throw new BackupException($"unsupported Fleet backup format version {header[7]}");
        }
        if (!header.Slice(12, 8).SequenceEqual(key.Id))
        {
            throw new BackupException(
                $"the backup was encrypted with key id {Convert.ToHexStringLower(header.Slice(12, 8))}, the configured key has id {key.IdHex}: wrong encryption key");
        }
        var chunkSize = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        return chunkSize is >= MinChunkSize and <= MaxChunkSize
            ? (int)chunkSize
            : throw new BackupException($"corrupt backup header (chunk size {chunkSize})");
    }

    public static AesGcm CreateCipher(BackupKey key, ReadOnlySpan<byte> header)
    {
        Span<byte> subkey = stackalloc byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Material, subkey, header.Slice(20, 32), KdfInfo);
        var cipher = new AesGcm(subkey, TagSize);
        CryptographicOperations.ZeroMemory(subkey);
        return cipher;
    }

    /// <summary>The AAD buffer (header + final flag); the caller sets the last byte per chunk.</summary>
    public static byte[] CreateAad(ReadOnlySpan<byte> header) => [.. header, 0];

    public static void WriteNonce(ReadOnlySpan<byte> header, uint counter, Span<byte> nonce)
    {
        header.Slice(52, 8).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], counter);
    }
}
