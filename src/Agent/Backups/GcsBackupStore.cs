using System.IO.Pipelines;
using System.Net;
using Google;
using Google.Apis.Auth.OAuth2;
using Google.Cloud.Storage.V1;
using Fleet.Core.Releases;

namespace Fleet.Agent.Backups;

/// <summary>
/// A Google Cloud Storage bucket through its JSON API (<c>gs://bucket/prefix</c>): streamed
/// resumable uploads (<see cref="GcsUpload"/>), listing, streamed downloads and deletes.
/// Credentials: a service-account JSON key file (0600), or Application Default Credentials
/// (the metadata server on a GCE VM, GOOGLE_APPLICATION_CREDENTIALS); never the release.
/// </summary>
internal sealed class GcsBackupStore(StorageClient client, string bucket, string prefix, int chunkSize) : IBackupStore
{
    public static GcsBackupStore Create(BackupStoreLocation location, BackupStoreSettings settings)
    {
        var builder = new StorageClientBuilder();
        if (settings.Endpoint is { } endpoint)
        {
            builder.BaseUri = endpoint.TrimEnd('/') + "/storage/v1/";
        }
        if (settings.Anonymous)
        {
            builder.UnauthenticatedAccess = true;
        }
        else if (settings.ServiceAccountKeyFile is { } keyFile)
        {
            builder.GoogleCredential = ServiceAccountKey(keyFile);
        }
        return new GcsBackupStore(builder.Build(), location.Bucket, location.Path, settings.PartSizeMiB * 1024 * 1024);
    }

    private static GoogleCredential ServiceAccountKey(string keyFile)
    {
        const UnixFileMode OthersAndGroup = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if (File.Exists(keyFile) && (File.GetUnixFileMode(keyFile) & OthersAndGroup) != 0)
        {
            throw new BackupException($"the service-account key file '{keyFile}' is readable by others: chmod 600 it");
        }
        try
        {
            return CredentialFactory.FromFile<ServiceAccountCredential>(keyFile).ToGoogleCredential();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException or Newtonsoft.Json.JsonException)
        {
            throw new BackupException($"the service-account key file '{keyFile}' could not be read as a JSON key: {ex.GetType().Name}", ex);
        }
    }

    public Task<IBackupUpload> BeginUploadAsync(string key, CancellationToken cancellationToken)
    {
        var options = new UploadObjectOptions { ChunkSize = chunkSize };
        return Task.FromResult<IBackupUpload>(new GcsUpload((source, abort) =>
            client.UploadObjectAsync(bucket, prefix + key, "application/octet-stream", source, options, abort)));
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectAsync(bucket, prefix + key, cancellationToken: cancellationToken);
        }
        catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
        {
            throw new BackupException($"'{key}' is not in the store", ex);
        }
        // The download writes into a pipe that the caller reads: backpressure keeps memory to the pipe's window.
        var pipe = new Pipe();
        _ = DownloadAsync(key, pipe.Writer, cancellationToken);
        return pipe.Reader.AsStream();
    }

    private async Task DownloadAsync(string key, PipeWriter writer, CancellationToken cancellationToken)
    {
        try
        {
            await client.DownloadObjectAsync(bucket, prefix + key, writer.AsStream(leaveOpen: true), cancellationToken: cancellationToken);
            await writer.CompleteAsync();
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex);
        }
    }

    public async Task<IReadOnlyList<StoredObject>> ListAsync(string keyPrefix, CancellationToken cancellationToken)
    {
        var result = new List<StoredObject>();
        await foreach (var o in client.ListObjectsAsync(bucket, prefix + keyPrefix).WithCancellation(cancellationToken))
        {
            result.Add(new StoredObject(o.Name[prefix.Length..], (long)(o.Size ?? 0), o.UpdatedDateTimeOffset ?? DateTimeOffset.MinValue));
        }
        return result;
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            try
            {
                await client.DeleteObjectAsync(bucket, prefix + key, cancellationToken: cancellationToken);
            }
            catch (GoogleApiException ex) when (ex.HttpStatusCode == HttpStatusCode.NotFound)
            {
                // Already gone: retention's goal is reached.
            }
        }
    }

    /// <summary>Unfinished resumable uploads are invisible and expire on the server after a week: nothing to remove.</summary>
    public Task<int> RemoveUnfinishedAsync(string keyPrefix, DateTimeOffset startedBefore, CancellationToken cancellationToken) =>
        Task.FromResult(0);
}
