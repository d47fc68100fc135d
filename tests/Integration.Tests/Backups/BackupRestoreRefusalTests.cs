using System.Security.Cryptography;
using System.Text.Json;
using Fleet.Agent.Backups;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Integration.Tests.Backups;

[Collection(BackupTestGroup.Name)]
public sealed class BackupRestoreRefusalTests(BackupFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private BackupRestorer Restorer => fixture.Services.GetRequiredService<BackupRestorer>();

    [Fact]
    public async Task RestoreAsync_StoredBytesCorrupted_RefusesOnSha256BeforeCreatingTheDatabase()
    {
        var (declaration, manifest, data) = await BackUpAsync();
        FlipByte(data, new FileInfo(data).Length / 2);
        var target = TargetName();

        var restore = await Restorer.RestoreAsync(declaration, manifest.Id, target, BackupTrigger.Manual, Ct);

        Assert.False(restore.Succeeded);
        Assert.Contains("sha256 of the stored bytes", restore.Error, StringComparison.Ordinal);
        Assert.False(await fixture.DatabaseExistsAsync(target));
        Assert.True(restore.Report is { Operation: BackupOperation.Restore, Succeeded: false });
    }

    [Fact]
    public async Task RestoreAsync_CorruptedWithMatchingManifestHash_FailsAuthenticationAndDropsTarget()
    {
        var (declaration, manifest, data) = await BackUpAsync();
        FlipByte(data, new FileInfo(data).Length / 2);
        var forged = manifest with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(data, Ct))) };
        await File.WriteAllTextAsync(Path.ChangeExtension(data, BackupManifest.ManifestSuffix), JsonSerializer.Serialize(forged, BackupJsonContext.Default.BackupManifest), Ct);
        var target = TargetName();

        var restore = await Restorer.RestoreAsync(declaration, manifest.Id, target, BackupTrigger.Manual, Ct);

        Assert.False(restore.Succeeded);
        Assert.Contains("failed authentication", restore.Error, StringComparison.Ordinal);
        Assert.False(await fixture.DatabaseExistsAsync(target));
    }

    [Fact]
    public async Task RestoreAsync_WrongEncryptionKey_Refuses()
    {
        var (declaration, manifest, _) = await BackUpAsync();
        var otherKey = fixture.Folder.Combine("other-" + Guid.NewGuid().ToString("N") + ".key");
        BackupKey.Generate(otherKey);
        declaration.EncryptionKeyFile = otherKey;
        var target = TargetName();

        var restore = await Restorer.RestoreAsync(declaration, manifest.Id, target, BackupTrigger.Manual, Ct);

        Assert.False(restore.Succeeded);
        Assert.Contains("wrong encryption key", restore.Error, StringComparison.Ordinal);
        Assert.False(await fixture.DatabaseExistsAsync(target));
    }

    [Fact]
    public async Task RestoreAsync_TargetDatabaseExists_RefusesAndLeavesItAlone()
    {
        var (declaration, manifest, _) = await BackUpAsync();

        var restore = await Restorer.RestoreAsync(declaration, manifest.Id, fixture.SourceDatabase, BackupTrigger.Manual, Ct);

        Assert.False(restore.Succeeded);
        Assert.Contains("already exists", restore.Error, StringComparison.Ordinal);
        Assert.StartsWith("100000:", (await fixture.FingerprintAsync(fixture.SourceDatabase))["pgbench_accounts"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("20260101T000000Z-zzzzzzzz")]
    public async Task RestoreAsync_MalformedBackupId_Refuses(string id)
    {
        var declaration = fixture.Declaration("file://" + fixture.Folder.Combine("ids"));

        var restore = await Restorer.RestoreAsync(declaration, id, TargetName(), BackupTrigger.Manual, Ct);

        Assert.False(restore.Succeeded);
        Assert.Contains("is not a backup id", restore.Error, StringComparison.Ordinal);
    }

    private async Task<(BackupDeclaration Declaration, BackupManifest Manifest, string DataFile)> BackUpAsync()
    {
        var store = fixture.Folder.Combine("refusal-" + Guid.NewGuid().ToString("N"));
        var declaration = fixture.Declaration("file://" + store);
        var run = await fixture.Services.GetRequiredService<BackupService>().RunAsync(declaration, BackupTrigger.Manual, null, Ct);
        Assert.True(run.Succeeded, run.Error);
        return (declaration, run.Manifest!, Path.Combine(store, "it", "db", run.Manifest!.Id + BackupManifest.DataSuffix));
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        var b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0x40));
    }

    private static string TargetName() => "restored_" + Guid.NewGuid().ToString("N")[..12];
}
