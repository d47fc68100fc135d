namespace Fleet.Core.Releases;

/// <summary>A parsed backup store URL, the one rule for release validation and the agent: <c>file:///folder</c>, <c>s3://bucket/prefix</c> or <c>gs://bucket/prefix</c>.</summary>
public sealed record BackupStoreLocation(string Scheme, string Bucket, string Path)
{
    public static bool TryParse(string url, out BackupStoreLocation? location, out string error)
    {
        location = null;
        error = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            error = $"'{url}' is not an absolute URL (file:///folder, s3://bucket/prefix or gs://bucket/prefix).";
            return false;
        }
        switch (uri.Scheme)
        {
            case "file" when url.StartsWith("file://", StringComparison.Ordinal) && uri.IsLoopback && System.IO.Path.IsPathFullyQualified(uri.LocalPath):
                location = new BackupStoreLocation("file", "", uri.LocalPath);
                return true;
            case "s3" or "gs" when uri.Host.Length > 0:
                var prefix = Uri.UnescapeDataString(uri.AbsolutePath).Trim('/');
                location = new BackupStoreLocation(uri.Scheme, uri.Host, prefix.Length == 0 ? "" : prefix + "/");
                return true;
            default:
                error = $"'{url}' must be file:///absolute/folder, s3://bucket/prefix or gs://bucket/prefix.";
                return false;
        }
    }
}
