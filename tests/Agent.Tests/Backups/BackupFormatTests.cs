using System.Security.Cryptography;
using Fleet.Agent.Backups;

namespace Fleet.Agent.Tests.Backups;

public sealed class BackupFormatTests
{
    private const int Chunk = BackupFormat.MinChunkSize;
    private static readonly BackupKey Key = BackupKey.FromBytes(RandomNumberGenerator.GetBytes(32));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData((3 * Chunk) + 1234)]
    public async Task Decrypt_EncryptedData_RoundTrips(int length)
    {
        var plain = RandomNumberGenerator.GetBytes(length);

        var stored = await EncryptAsync(plain);

        Assert.Equal(plain, await DecryptAsync(stored, Key));
    }

    [Fact]
    public async Task Encrypt_SameDataTwice_GivesDifferentBytes()
    {
        var plain = RandomNumberGenerator.GetBytes(100);

        Assert.NotEqual(await EncryptAsync(plain), await EncryptAsync(plain));
    }

    [Fact]
    public async Task Decrypt_FlippedCiphertextByte_RefusesAsCorrupt()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(2 * Chunk));
        stored[BackupFormat.HeaderSize + Chunk + 7] ^= 0x01;

        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(stored, Key));

        Assert.Contains("failed authentication", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_EditedHeaderSalt_RefusesAsCorrupt()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(10));
        stored[30] ^= 0x01;

        await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(stored, Key));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(BackupFormat.TagSize)]
    [InlineData(BackupFormat.TagSize + 5)]
    public async Task Decrypt_TruncatedInsideFinalChunk_Refuses(int cut)
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 100));

        await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(stored[..^cut], Key));
    }

    [Fact]
    public async Task Decrypt_TruncatedOnChunkBoundary_RefusesAsTruncated()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 100));
        var twoChunks = BackupFormat.HeaderSize + (2 * (Chunk + BackupFormat.TagSize));

        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(stored[..twoChunks], Key));

        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_FullChunkPresentedAsFinal_Refuses()
    {
        // Drop the empty final chunk of an exact multiple: the last full chunk was sealed as non-final.
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(2 * Chunk));
        var withoutFinal = stored[..^BackupFormat.TagSize];

        await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(withoutFinal, Key));
    }

    [Fact]
    public async Task Decrypt_SwappedChunks_Refuses()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 10));
        var size = Chunk + BackupFormat.TagSize;
        var first = stored.AsSpan(BackupFormat.HeaderSize, size).ToArray();
        stored.AsSpan(BackupFormat.HeaderSize + size, size).CopyTo(stored.AsSpan(BackupFormat.HeaderSize));
        first.CopyTo(stored.AsSpan(BackupFormat.HeaderSize + size));

        await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(stored, Key));
    }

    [Fact]
    public async Task Decrypt_WrongKey_RefusesNamingTheKeyIds()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(10));
        var other = BackupKey.FromBytes(RandomNumberGenerator.GetBytes(32));

        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(stored, other));

        Assert.Contains("wrong encryption key", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Key.IdHex, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_WrongKeyWithForgedKeyId_FailsAuthentication()
    {
        var stored = await EncryptAsync(RandomNumberGenerator.GetBytes(10));
        var other = BackupKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        other.Id.CopyTo(stored, 12);

        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(stored, other));

        Assert.Contains("failed authentication", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_NotABackup_RefusesBadMagic()
    {
        var ex = await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(new byte[100], Key));

        Assert.Contains("bad magic", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encrypt_NotFinished_LeavesNoFinalChunk()
    {
        var sink = new MemoryStream();
        await using (var encrypting = new EncryptingStream(sink, Key, Chunk))
        {
            await encrypting.WriteAsync(RandomNumberGenerator.GetBytes((2 * Chunk) + 5), TestContext.Current.CancellationToken);
        }

        await Assert.ThrowsAsync<BackupException>(() => DecryptAsync(sink.ToArray(), Key));
    }

    [Fact]
    public void Load_KeyFileOfWrongLength_RefusesWithSize()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, Convert.ToBase64String(new byte[16]));
        try
        {
            var ex = Assert.Throws<BackupException>(() => BackupKey.Load(path));

            Assert.Contains("found 16", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Generate_NewKeyFile_IsPrivateAndLoadsBack()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));
        try
        {
            var key = BackupKey.Generate(path);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(key.IdHex, BackupKey.Load(path).IdHex);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<byte[]> EncryptAsync(byte[] plain)
    {
        var sink = new MemoryStream();
        await using var encrypting = new EncryptingStream(sink, Key, Chunk);
        // Odd write sizes cross chunk boundaries in every way.
        for (var offset = 0; offset < plain.Length; offset += 1000)
        {
            await encrypting.WriteAsync(plain.AsMemory(offset, Math.Min(1000, plain.Length - offset)), TestContext.Current.CancellationToken);
        }
        await encrypting.FinishAsync(TestContext.Current.CancellationToken);
        return sink.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] stored, BackupKey key)
    {
        await using var decrypting = await DecryptingStream.OpenAsync(new MemoryStream(stored), key, TestContext.Current.CancellationToken);
        var plain = new MemoryStream();
        await decrypting.CopyToAsync(plain, 777, TestContext.Current.CancellationToken);
        return plain.ToArray();
    }
}
