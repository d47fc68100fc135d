using Fleet.Core.Releases;

namespace Fleet.Core.Trust;

/// <summary>
/// A manifest whose envelope was verified against a trust policy. <see cref="Signers"/> are the
/// distinct keys of the manifest's environment that signed; the threshold may not be met yet
/// (the controller stores such releases until more operators approve; agents refuse them).
/// </summary>
public sealed record VerifiedRelease(ReleaseManifest Manifest, DsseEnvelope Envelope, IReadOnlySet<string> Signers, ThresholdRule Rule)
{
    public bool ThresholdMet => Rule.IsMetBy(Signers);
}

/// <summary>Either a verified release or the reason it was refused.</summary>
public sealed record ReleaseVerification(VerifiedRelease? Release, ReleaseRefusal? Refusal)
{
    public static ReleaseVerification Refuse(ReleaseRefusalCode code, string message) => new(null, new ReleaseRefusal(code, message));
}
