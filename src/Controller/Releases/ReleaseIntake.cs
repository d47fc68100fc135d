using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Grpc.Core;

namespace Fleet.Controller.Releases;

/// <summary>
/// What the controller checks before storing a release (pure). Signatures were verified by
/// <see cref="ReleaseVerifier"/>; the threshold may still be unmet (approvals come later).
/// Every refusal is an <see cref="RpcException"/> whose message says what to do.
/// </summary>
internal static class ReleaseIntake
{
    public static VerifiedRelease Verify(ReadOnlySpan<byte> envelope, TrustPolicy? policy, DateTimeOffset now)
    {
        if (envelope.Length > DsseEnvelope.MaxEnvelopeBytes)
        {
            throw Refuse(StatusCode.InvalidArgument, $"the release envelope is {envelope.Length} bytes; at most {DsseEnvelope.MaxEnvelopeBytes} are accepted");
        }

        if (policy is null)
        {
            throw Refuse(StatusCode.FailedPrecondition, "no trust policy is installed on the controller; run fleetctl trust push trust.json first");
        }

        var verification = ReleaseVerifier.Verify(envelope, policy, now);
        if (verification.Release is not { } release)
        {
            var refusal = verification.Refusal!;
            var code = refusal.Code == ReleaseRefusalCode.NoTrustedSignature ? StatusCode.PermissionDenied : StatusCode.InvalidArgument;
            throw Refuse(code, $"release refused ({refusal.Code}): {refusal.Message}");
        }

        if (release.Signers.Count == 0)
        {
            throw Refuse(StatusCode.PermissionDenied,
                $"release refused (UnknownKey): no key trusted for '{release.Manifest.Environment}' signed it");
        }

        var manifest = release.Manifest;
        if (now >= manifest.ExpiresAt)
        {
            throw Refuse(StatusCode.FailedPrecondition, $"release refused (Expired): it expired at {manifest.ExpiresAt:O}; sign a new one");
        }

        var unpinned = manifest.Release.Images()
            .Where(i => !ImageReference.TryParse(i.Image, out var reference, out _) || !reference.IsPinned)
            .Select(i => $"{i.Path} = {i.Image}")
            .ToList();
        if (unpinned.Count > 0)
        {
            throw Refuse(StatusCode.InvalidArgument,
                $"release refused (ImageNotPinned): every image must be pinned by @sha256: digest; not pinned: {string.Join(", ", unpinned)}");
        }

        return release;
    }

    /// <summary>Refuses a sequence that is not greater than the latest one of the app and environment that met its threshold.</summary>
    public static void RequireNewerSequence(ReleaseManifest manifest, long? latest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (latest is { } last && manifest.Sequence <= last)
        {
            throw Refuse(StatusCode.FailedPrecondition,
                $"release refused (SequenceNotNewer): sequence {manifest.Sequence} of {manifest.App}/{manifest.Environment} is not greater than the latest {last}");
        }
    }

    private static RpcException Refuse(StatusCode code, string message) => new(new Status(code, message));
}
