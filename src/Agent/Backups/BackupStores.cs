using System.Collections.Concurrent;
using Fleet.Core.Releases;

namespace Fleet.Agent.Backups;

/// <summary>Opens (and caches) the store of each declaration from its URL.</summary>
internal sealed class BackupStores(ILoggerFactory loggerFactory)
{
    private readonly ConcurrentDictionary<string, IBackupStore> _stores = new(StringComparer.Ordinal);

    public IBackupStore For(BackupDeclaration declaration)
    {
        var settings = declaration.Store;
        var cacheKey = string.Join('\n', settings.Url, settings.Endpoint, settings.Region, settings.AccessKeyIdFile, settings.Checksums, settings.PartSizeMiB, settings.ForcePathStyle, settings.ServiceAccountKeyFile, settings.Anonymous);
        return _stores.GetOrAdd(cacheKey, _ =>
        {
            if (!BackupStoreLocation.TryParse(settings.Url, out var location, out var error))
            {
                throw new BackupException($"store URL {error}");
            }
            return location!.Scheme switch
            {
                "file" => new FileBackupStore(location.Path),
                "gs" => GcsBackupStore.Create(location, settings),
                _ => S3BackupStore.Create(location, settings, loggerFactory.CreateLogger<S3BackupStore>()),
            };
        });
    }
}
