using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ZstdSharp;

namespace Fleet.Agent.Backups;

/// <summary>
/// Restores a stored backup into a new database: checks the stored bytes' SHA-256 against the
/// manifest first (a full read of the object), then streams it again through decryption and
/// decompression into pg_restore. Verify restores into a scratch database, runs a sanity query
/// and drops it.
/// </summary>
internal sealed partial class BackupRestorer(
    BackupService backups,
    BackupStores stores,
    PostgresTools tools,
    IBackupReportOutbox outbox,
    IOptions<BackupsOptions> options,
    TimeProvider time,
    ILogger<BackupRestorer> logger)
{
    [GeneratedRegex(@"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}\z")]
    private static partial Regex BackupId();

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_-]{0,62}\z")]
    private static partial Regex DatabaseName();

    /// <summary>Restores into <paramref name="targetDatabase"/>, which must not exist yet (it is created, and dropped again on failure).</summary>
    public Task<BackupRunResult> RestoreAsync(BackupDeclaration d, string backupId, string targetDatabase, BackupTrigger trigger, CancellationToken cancellationToken) =>
        ReportAsync(d, BackupOperation.Restore, trigger, backupId, async () =>
        {
            var manifest = await RestoreIntoAsync(d, backupId, targetDatabase, cancellationToken);
            Log.Restored(logger, d.KeyPath.ToString(), backupId, targetDatabase);
            return manifest;
        }, cancellationToken);

    /// <summary>The Quartz entry point: verifies the newest good backup of an agent-local declaration.</summary>
    public async Task<BackupRunResult> VerifyLatestAsync(string app, string name, BackupTrigger trigger, CancellationToken cancellationToken)
    {
        var declaration = backups.Find(app, name);
        var newest = await backups.ListAsync(declaration, cancellationToken) is [var first, ..] ? first : null;
        return newest is not null
            ? await VerifyAsync(declaration, newest.Id, trigger, cancellationToken)
            : await ReportAsync(declaration, BackupOperation.Verify, trigger, "", () => throw new BackupException("there is no backup to verify"), cancellationToken);
    }

    /// <summary>Restores a backup into a scratch database, checks it, and drops it.</summary>
    public Task<BackupRunResult> VerifyAsync(BackupDeclaration d, string backupId, BackupTrigger trigger, CancellationToken cancellationToken) =>
        ReportAsync(d, BackupOperation.Verify, trigger, backupId, async () =>
        {
            var scratch = "fleet_verify_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            var server = d.ForVerify();
            try
            {
                var manifest = await RestoreIntoAsync(server, backupId, scratch, cancellationToken);
                var tables = await tools.QueryAsync(server, scratch,
                    "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", cancellationToken);
                if (!int.TryParse(tables, CultureInfo.InvariantCulture, out var count))
                {
                    throw new BackupException($"sanity query on the restored database returned '{tables}'");
                }
                if (d.VerifyQuery is { } query && (await tools.QueryAsync(server, scratch, query, cancellationToken)).Trim().Length == 0)
                {
                    throw new BackupException("the verify query returned no row on the restored database");
                }
                Log.Verified(logger, d.KeyPath.ToString(), backupId, count);
                return manifest;
            }
            finally
            {
                await DropQuietlyAsync(server, scratch);
            }
        }, cancellationToken);

    private async Task<BackupManifest> RestoreIntoAsync(BackupDeclaration d, string backupId, string targetDatabase, CancellationToken cancellationToken)
    {
        if (!BackupId().IsMatch(backupId))
        {
            throw new BackupException($"'{backupId}' is not a backup id");
        }
        if (!DatabaseName().IsMatch(targetDatabase))
        {
            throw new BackupException($"'{targetDatabase}' is not an acceptable database name (^[a-zA-Z_][a-zA-Z0-9_-]{{0,62}}$)");
        }
        var store = stores.For(d);
        var manifest = await ReadManifestAsync(store, d, backupId, cancellationToken);
        var key = BackupKey.Load(d.EncryptionKeyFile);
        if (manifest.KeyId != key.IdHex)
        {
            throw new BackupException($"backup {backupId} was encrypted with key id {manifest.KeyId}, the configured key has id {key.IdHex}: wrong encryption key");
        }
        await using (var stored = await store.OpenReadAsync(manifest.DataKey(d.KeyPath), cancellationToken))
        {
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stored, cancellationToken));
            if (actual != manifest.Sha256)
            {
                throw new BackupException($"backup {backupId} is corrupt: sha256 of the stored bytes is {actual}, the manifest says {manifest.Sha256}; refusing to restore");
            }
        }
        await tools.QueryAsync(d, "postgres", $"CREATE DATABASE {PostgresTools.QuoteIdentifier(targetDatabase)}", cancellationToken);
        try
        {
            await PipeIntoPgRestoreAsync(d, store, manifest, key, targetDatabase, cancellationToken);
        }
        catch
        {
            await DropQuietlyAsync(d, targetDatabase);
            throw;
        }
        return manifest;
    }

    private async Task PipeIntoPgRestoreAsync(BackupDeclaration d, IBackupStore store, BackupManifest manifest, BackupKey key, string targetDatabase, CancellationToken cancellationToken)
    {
        await using var stored = await store.OpenReadAsync(manifest.DataKey(d.KeyPath), cancellationToken);
        await using var decrypting = await DecryptingStream.OpenAsync(stored, key, cancellationToken);
        await using var decompressing = new DecompressionStream(decrypting, leaveOpen: true);
        var psi = tools.Command(d, "pg_restore", "--no-owner", "--exit-on-error", "--dbname", targetDatabase);
        psi.RedirectStandardInput = true;
        await using var pgRestore = ToolProcess.Start(psi);
        try
        {
            await decompressing.CopyToAsync(pgRestore.Stdin, 256 * 1024, cancellationToken);
            pgRestore.Stdin.Close();
        }
        catch (IOException)
        {
            // pg_restore stopped reading: its exit status and stderr say why.
            await pgRestore.WaitForSuccessAsync(cancellationToken);
            throw;
        }
        await pgRestore.WaitForSuccessAsync(cancellationToken);
    }

    private static async Task<BackupManifest> ReadManifestAsync(IBackupStore store, BackupDeclaration d, string backupId, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReadAsync(BackupManifest.ManifestKey(d.KeyPath, backupId), cancellationToken);
        var manifest = await JsonSerializer.DeserializeAsync(stream, BackupJsonContext.Default.BackupManifest, cancellationToken);
        return manifest is not null && manifest.Id == backupId ? manifest : throw new BackupException($"manifest of backup {backupId} is unreadable");
    }

    private async Task DropQuietlyAsync(BackupDeclaration d, string database)
    {
        try
        {
            await tools.QueryAsync(d, "postgres", $"DROP DATABASE IF EXISTS {PostgresTools.QuoteIdentifier(database)} WITH (FORCE)", CancellationToken.None);
        }
        catch (BackupException ex)
        {
            Log.DropFailed(logger, database, ex);
        }
    }

    private async Task<BackupRunResult> ReportAsync(
        BackupDeclaration d, BackupOperation operation, BackupTrigger trigger, string backupId, Func<Task<BackupManifest>> run, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        BackupManifest? manifest = null;
        string? error = null;
        try
        {
            manifest = await run();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = BackupService.Describe(ex);
            Log.Failed(logger, operation, d.KeyPath.ToString(), backupId, error, ex);
        }
        var report = await outbox.AppendAsync(new BackupReport(0, operation, trigger, d.App, d.Name, options.Value.AgentName, error is null,
            backupId, error, startedAt, time.GetUtcNow(), manifest?.SizeBytes, manifest?.Sha256, manifest?.ReleaseSequence), CancellationToken.None);
        return new BackupRunResult(error is null, manifest, error, report);
    }

    private static partial class Log
    {
        [LoggerMessage(4140, LogLevel.Information, "Backup {Backup} {BackupId} restored into database {Database}")]
        public static partial void Restored(ILogger logger, string backup, string backupId, string database);

        [LoggerMessage(4141, LogLevel.Information, "Backup {Backup} {BackupId} verified: restore succeeded with {Tables} tables")]
        public static partial void Verified(ILogger logger, string backup, string backupId, int tables);

        [LoggerMessage(4142, LogLevel.Error, "{Operation} of backup {Backup} {BackupId} failed: {Error}")]
        public static partial void Failed(ILogger logger, BackupOperation operation, string backup, string backupId, string error, Exception exception);

        [LoggerMessage(4143, LogLevel.Warning, "Could not drop database {Database}")]
        public static partial void DropFailed(ILogger logger, string database, Exception exception);
    }
}
