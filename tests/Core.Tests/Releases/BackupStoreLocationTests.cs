using Fleet.Core.Releases;

namespace Fleet.Core.Tests.Releases;

public sealed class BackupStoreLocationTests
{
    [Theory]
    [InlineData("file:///var/backups", "file", "", "/var/backups")]
    [InlineData("s3://bucket/a/b", "s3", "bucket", "a/b/")]
    [InlineData("s3://bucket", "s3", "bucket", "")]
    [InlineData("gs://bucket/daily/", "gs", "bucket", "daily/")]
    public void TryParse_StoreUrls_SplitsSchemeBucketAndPath(string url, string scheme, string bucket, string path)
    {
        Assert.True(BackupStoreLocation.TryParse(url, out var location, out _));

        Assert.Equal(new BackupStoreLocation(scheme, bucket, path), location);
    }

    [Theory]
    [InlineData("file://relative/x")]
    [InlineData("s3:///nobucket")]
    [InlineData("gs:///nobucket")]
    [InlineData("ftp://host/x")]
    [InlineData("/plain/path")]
    public void TryParse_BadStoreUrls_Refuses(string url)
    {
        Assert.False(BackupStoreLocation.TryParse(url, out _, out var error));
        Assert.NotEmpty(error);
    }
}
