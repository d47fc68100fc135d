using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Fleet.Core.Releases;

namespace Fleet.Agent.Backups;

/// <summary>
/// An S3-compatible bucket (AWS, MinIO, R2, s3rver, GCS XML API with HMAC keys). Large objects
/// stream as multipart uploads, one part buffered while the previous one uploads; a failed
/// upload is aborted. Deletes use DeleteObjects and fall back to single deletes where the
/// server lacks it (GCS).
/// </summary>
internal sealed partial class S3BackupStore(IAmazonS3 client, string bucket, string prefix, int partSize, ILogger logger) : IBackupStore
{
    public static S3BackupStore Create(BackupStoreLocation location, BackupStoreSettings settings, ILogger logger)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            AuthenticationRegion = settings.Region,
            MaxErrorRetry = 3,
            RequestChecksumCalculation = settings.Checksums == ChecksumMode.WhenRequired
                ? RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED,
            ResponseChecksumValidation = settings.Checksums == ChecksumMode.WhenRequired
                ? ResponseChecksumValidation.WHEN_REQUIRED : ResponseChecksumValidation.WHEN_SUPPORTED,
        };
        if (settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }
        var credentials = new BasicAWSCredentials(
            Secret(settings.AccessKeyIdFile, "AWS_ACCESS_KEY_ID"),
            Secret(settings.SecretAccessKeyFile, "AWS_SECRET_ACCESS_KEY"));
        return new S3BackupStore(new AmazonS3Client(credentials, config), location.Bucket, location.Path, settings.PartSizeMiB * 1024 * 1024, logger);
    }

    private static string Secret(string? file, string variable) =>
        file is not null ? File.ReadAllText(file).Trim()
        : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value
        : throw new BackupException($"no S3 credentials: set the store's key files or {variable}");

    public Task<IBackupUpload> BeginUploadAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<IBackupUpload>(new S3Upload(client, bucket, prefix + key, partSize));

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.GetObjectAsync(bucket, prefix + key, cancellationToken);
            return response.ResponseStream;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new BackupException($"'{key}' is not in the store", ex);
        }
    }

    public async Task<IReadOnlyList<StoredObject>> ListAsync(string keyPrefix, CancellationToken cancellationToken)
    {
        var result = new List<StoredObject>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix + keyPrefix };
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request, cancellationToken);
            foreach (var o in response.S3Objects ?? [])
            {
                result.Add(new StoredObject(o.Key[prefix.Length..], o.Size ?? 0, o.LastModified ?? DateTime.MinValue));
            }
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
        return result;
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        foreach (var batch in keys.Chunk(1000))
        {
            try
            {
                var response = await client.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Quiet = true,
                    Objects = [.. batch.Select(k => new KeyVersion { Key = prefix + k })],
                }, cancellationToken);
                if (response.DeleteErrors is { Count: > 0 } errors)
                {
                    throw new BackupException($"deleting '{errors[0].Key}' failed: {errors[0].Message}");
                }
            }
            catch (AmazonS3Exception ex)
            {
                Log.BulkDeleteUnsupported(logger, ex.ErrorCode);
                foreach (var key in batch)
                {
                    await client.DeleteObjectAsync(bucket, prefix + key, cancellationToken);
                }
            }
        }
    }

    public async Task<int> RemoveUnfinishedAsync(string keyPrefix, DateTimeOffset startedBefore, CancellationToken cancellationToken)
    {
        ListMultipartUploadsResponse uploads;
        try
        {
            uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix + keyPrefix }, cancellationToken);
        }
        catch (AmazonS3Exception ex)
        {
            // Some S3-compatible servers cannot list uploads; failed uploads were aborted when they failed.
            Log.ListUploadsUnsupported(logger, ex.ErrorCode);
            return 0;
        }
        var removed = 0;
        foreach (var upload in uploads.MultipartUploads ?? [])
        {
            if (upload.Initiated is { } initiated && initiated < startedBefore.UtcDateTime)
            {
                await client.AbortMultipartUploadAsync(bucket, upload.Key, upload.UploadId, cancellationToken);
                removed++;
            }
        }
        return removed;
    }

    private static partial class Log
    {
        [LoggerMessage(4120, LogLevel.Information, "The S3 server refused DeleteObjects ({ErrorCode}); deleting objects one by one")]
        public static partial void BulkDeleteUnsupported(ILogger logger, string errorCode);

        [LoggerMessage(4121, LogLevel.Debug, "The S3 server cannot list multipart uploads ({ErrorCode})")]
        public static partial void ListUploadsUnsupported(ILogger logger, string errorCode);
    }
}
