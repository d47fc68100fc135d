using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Backups;

/// <summary>
/// Runs backups (one at a time per declaration), writes their manifests, prunes after each
/// success and queues a report for every run. Listing reads manifests from the store.
/// </summary>
internal sealed partial class BackupService(
    BackupStores stores,
    BackupPipeline pipeline,
    PostgresTools tools,
    BackupRetention retention,
    BackupDeclarations declarations,
    IBackupReportOutbox outbox,
    IOptions<BackupsOptions> options,
    TimeProvider time,
    ILogger<BackupService> logger)
{
    private readonly ConcurrentDictionary<BackupKeyPath, SemaphoreSlim> _locks = new();

    /// <summary>The declaration (agent-local or from an applied release) with this app and name; throws <see cref="BackupException"/> if none.</summary>
    public BackupDeclaration Find(string app, string name) => declarations.Find(app, name);

    /// <summary>The Quartz entry point: waits a random part of the jitter, then backs up.</summary>
    public async Task RunScheduledAsync(string app, string name, CancellationToken cancellationToken)
    {
        var declaration = Find(app, name);
        if (declaration.Jitter > TimeSpan.Zero)
        {
            await Task.Delay(declaration.Jitter * Random.Shared.NextDouble(), time, cancellationToken);
        }
        await RunAsync(declaration, BackupTrigger.Schedule, releaseSequence: null, cancellationToken);
    }

    /// <summary>Backs up one declaration. Never throws for a failed backup: the result (and the queued report) says why.</summary>
    public async Task<BackupRunResult> RunAsync(BackupDeclaration declaration, BackupTrigger trigger, long? releaseSequence, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(declaration.KeyPath, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await RunLockedAsync(declaration, trigger, releaseSequence, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<BackupRunResult> RunLockedAsync(BackupDeclaration d, BackupTrigger trigger, long? releaseSequence, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var id = NewId(startedAt);
        Log.BackupStarting(logger, d.KeyPath.ToString(), id, trigger);
        var agent = options.Value.AgentName;
        try
        {
            var key = BackupKey.Load(d.EncryptionKeyFile);
            var serverVersion = await tools.QueryAsync(d, d.Database, "SHOW server_version", cancellationToken);
            var store = stores.For(d);
            var dataKey = d.KeyPath.Prefix + id + BackupManifest.DataSuffix;
            (long Size, string Sha256) stored;
            await using (var upload = await store.BeginUploadAsync(dataKey, cancellationToken))
            {
                stored = await pipeline.DumpAsync(d, key, upload.Stream, cancellationToken);
                await upload.CompleteAsync(cancellationToken);
            }
            var manifest = new BackupManifest(id, d.App, d.Name, d.Database, agent, startedAt, time.GetUtcNow(),
                stored.Size, stored.Sha256, serverVersion, releaseSequence, key.IdHex);
            await using (var upload = await store.BeginUploadAsync(BackupManifest.ManifestKey(d.KeyPath, id), cancellationToken))
            {
                await JsonSerializer.SerializeAsync(upload.Stream, manifest, BackupJsonContext.Default.BackupManifest, cancellationToken);
                await upload.CompleteAsync(cancellationToken);
            }
            Log.BackupSucceeded(logger, d.KeyPath.ToString(), id, stored.Size);
            var report = await outbox.AppendAsync(Report(d, trigger, startedAt, id, null, manifest, releaseSequence), cancellationToken);
            await PruneQuietlyAsync(d, cancellationToken);
            return new BackupRunResult(true, manifest, null, report);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = Describe(ex);
            Log.BackupFailed(logger, d.KeyPath.ToString(), id, error, ex);
            var report = await outbox.AppendAsync(Report(d, trigger, startedAt, id, error, null, releaseSequence), CancellationToken.None);
            return new BackupRunResult(false, null, error, report);
        }
    }

    /// <summary>
    /// Backs up each <c>PreDeploy</c> declaration of a release before its pre-deploy hook runs, in
    /// order. The deploy may proceed unless a declaration that is not <c>Optional</c> failed.
    /// </summary>
    public async Task<PreDeployBackupResult> RunPreDeployAsync(IEnumerable<BackupDeclaration> declarations, long releaseSequence, CancellationToken cancellationToken)
    {
        var runs = new List<BackupRunResult>();
        string? blocking = null;
        foreach (var d in declarations.Where(d => d.PreDeploy))
        {
            var run = await RunAsync(d, BackupTrigger.PreDeploy, releaseSequence, cancellationToken);
            runs.Add(run);
            if (!run.Succeeded && !d.Optional)
            {
                blocking ??= $"pre-deploy backup {d.KeyPath} failed: {run.Error}";
            }
        }
        return new PreDeployBackupResult(blocking is null, blocking, runs);
    }

    /// <summary>Applies retention; returns the deleted keys.</summary>
    public async Task<IReadOnlyList<string>> PruneAsync(BackupDeclaration d, CancellationToken cancellationToken)
    {
        var store = stores.For(d);
        var objects = await store.ListAsync(d.KeyPath.Prefix, cancellationToken);
        var manifests = await ReadManifestsAsync(store, objects, cancellationToken);
        var deletions = retention.PlanDeletions(d.KeyPath, objects, manifests, d.Retention, options.Value.OrphanGracePeriod);
        if (deletions.Count > 0)
        {
            await store.DeleteAsync([.. deletions], cancellationToken);
        }
        await store.RemoveUnfinishedAsync(d.KeyPath.Prefix, time.GetUtcNow() - options.Value.OrphanGracePeriod, cancellationToken);
        return deletions;
    }

    /// <summary>Good backups of a declaration, newest first.</summary>
    public async Task<IReadOnlyList<BackupManifest>> ListAsync(BackupDeclaration d, CancellationToken cancellationToken)
    {
        var store = stores.For(d);
        var objects = await store.ListAsync(d.KeyPath.Prefix, cancellationToken);
        var dataKeys = objects.ToDictionary(o => o.Key, o => o.Size, StringComparer.Ordinal);
        var manifests = await ReadManifestsAsync(store, objects, cancellationToken);
        return [.. manifests.Where(m => dataKeys.TryGetValue(m.DataKey(d.KeyPath), out var size) && size == m.SizeBytes).OrderByDescending(m => m.StartedAt)];
    }

    private async Task PruneQuietlyAsync(BackupDeclaration d, CancellationToken cancellationToken)
    {
        try
        {
            var deleted = await PruneAsync(d, cancellationToken);
            Log.Pruned(logger, d.KeyPath.ToString(), deleted.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The backup itself succeeded; pruning runs again after the next one.
            Log.PruneFailed(logger, d.KeyPath.ToString(), ex);
        }
    }

    private async Task<List<BackupManifest>> ReadManifestsAsync(IBackupStore store, IReadOnlyList<StoredObject> objects, CancellationToken cancellationToken)
    {
        var manifests = new List<BackupManifest>();
        foreach (var o in objects.Where(o => o.Key.EndsWith(BackupManifest.ManifestSuffix, StringComparison.Ordinal)))
        {
            try
            {
                await using var stream = await store.OpenReadAsync(o.Key, cancellationToken);
                if (await JsonSerializer.DeserializeAsync(stream, BackupJsonContext.Default.BackupManifest, cancellationToken) is { } manifest)
                {
                    manifests.Add(manifest);
                }
            }
            catch (JsonException ex)
            {
                Log.ManifestUnreadable(logger, o.Key, ex);
            }
        }
        return manifests;
    }

    private BackupReport Report(BackupDeclaration d, BackupTrigger trigger, DateTimeOffset startedAt, string id, string? error, BackupManifest? manifest, long? releaseSequence) =>
        new(0, BackupOperation.Backup, trigger, d.App, d.Name, options.Value.AgentName, error is null, id, error,
            startedAt, time.GetUtcNow(), manifest?.SizeBytes, manifest?.Sha256, releaseSequence);

    internal static string Describe(Exception ex) => ex is BackupException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";

    /// <summary>Sortable, unique and safe in keys: 20260124T030000Z-1a2b3c4d.</summary>
    internal static string NewId(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
