namespace Fleet.Agent.Backups;

/// <summary>Where backups are kept. Keys are relative (<c>app/name/id.fleetbak</c>); a store adds its own root or prefix.</summary>
internal interface IBackupStore
{
    /// <summary>Starts writing an object; it becomes visible only on <see cref="IBackupUpload.CompleteAsync"/>.</summary>
    Task<IBackupUpload> BeginUploadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Opens a stored object; throws <see cref="BackupException"/> when it is missing.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Complete objects whose key starts with the prefix.</summary>
    Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken);

    Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>Removes unfinished uploads (temporary files, multipart uploads) under the prefix started before the cutoff.</summary>
    Task<int> RemoveUnfinishedAsync(string prefix, DateTimeOffset startedBefore, CancellationToken cancellationToken);
}

/// <summary>An object being written. Disposing without completing removes everything written (abort).</summary>
internal interface IBackupUpload : IAsyncDisposable
{
    Stream Stream { get; }

    Task CompleteAsync(CancellationToken cancellationToken);
}

internal sealed record StoredObject(string Key, long Size, DateTimeOffset LastModified);
