using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;

namespace Fleet.Cli.Deploy;

/// <summary>What a release stored on the controller declares, for rollback and promote to sign again.</summary>
internal static class StoredRelease
{
    /// <exception cref="CliException">The stored envelope cannot be read.</exception>
    public static ReleaseDefinition Definition(Release release)
    {
        try
        {
            // The payload was verified by the controller when stored; signing it again is the operator's decision.
            return ReleaseManifest.Parse(DsseEnvelope.Parse(release.Envelope.Span, ReleaseManifest.PayloadType).Payload).Release;
        }
        catch (Exception ex) when (ex is DsseFormatException or ReleaseValidationException)
        {
            throw new CliException($"release {release.ReleaseId} cannot be read: {ex.Message}", inner: ex);
        }
    }

    /// <summary>Whether any image of the release is pinned to <paramref name="digest"/> (sha256:HEX, or at least 12 hex digits of it).</summary>
    public static bool Carries(ReleaseDefinition definition, string digest)
    {
        var wanted = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest : "sha256:" + digest;
        return definition.Images().Any(i =>
            i.Image.IndexOf('@', StringComparison.Ordinal) is var at and >= 0 && i.Image[(at + 1)..].StartsWith(wanted, StringComparison.Ordinal));
    }
}
