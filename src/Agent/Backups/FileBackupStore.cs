namespace Fleet.Agent.Backups;

/// <summary>
/// A local folder. Uploads go to a hidden temporary file next to the target (mode 0600), are
/// fsynced and renamed into place on completion; on failure (e.g. disk full) the partial file is
/// removed, so a folder never holds a half-written backup under its final name.
/// </summary>
internal sealed class FileBackupStore(string root) : IBackupStore
{
    private const string PartialSuffix = ".partial";

    public Task<IBackupUpload> BeginUploadAsync(string key, CancellationToken cancellationToken)
    {
        var target = Resolve(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}{PartialSuffix}");
        var stream = new FileStream(temp, PrivateFile.Options(FileMode.CreateNew, FileOptions.Asynchronous, bufferSize: 0));
        return Task.FromResult<IBackupUpload>(new Upload(stream, temp, target));
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = Resolve(key);
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BackupException($"'{key}' is not in the store", ex);
        }
    }

    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var folder = Resolve(prefix.TrimEnd('/'));
        IReadOnlyList<StoredObject> result = !Directory.Exists(folder)
            ? []
            : [.. new DirectoryInfo(folder).EnumerateFiles()
                .Where(f => !f.Name.StartsWith('.'))
                .Select(f => new StoredObject(prefix + f.Name, f.Length, f.LastWriteTimeUtc))
                .OrderBy(o => o.Key, StringComparer.Ordinal)];
        return Task.FromResult(result);
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            File.Delete(Resolve(key));
        }
        return Task.CompletedTask;
    }

    public Task<int> RemoveUnfinishedAsync(string prefix, DateTimeOffset startedBefore, CancellationToken cancellationToken)
    {
        var folder = Resolve(prefix.TrimEnd('/'));
        var removed = 0;
        if (Directory.Exists(folder))
        {
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("." + "*" + PartialSuffix))
            {
                if (file.LastWriteTimeUtc < startedBefore)
                {
                    file.Delete();
                    removed++;
                }
            }
        }
        return Task.FromResult(removed);
    }

    private string Resolve(string key)
    {
        var full = Path.GetFullPath(Path.Combine(root, key));
        var rootFull = Path.GetFullPath(root).TrimEnd('/') + "/";
        return full.StartsWith(rootFull, StringComparison.Ordinal) || full + "/" == rootFull
            ? full
            : throw new BackupException($"key '{key}' escapes the store folder");
    }

    private sealed class Upload(FileStream stream, string temp, string target) : IBackupUpload
    {
        private bool _completed;

        public Stream Stream => stream;

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
            await stream.DisposeAsync();
            File.Move(temp, target, overwrite: false);
            _completed = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (_completed)
            {
                return;
            }
            try
            {
                await stream.DisposeAsync();
            }
            catch (IOException)
            {
                // A full disk can fail the final flush too; the partial file is removed below either way.
            }
            File.Delete(temp);
        }
    }
}
