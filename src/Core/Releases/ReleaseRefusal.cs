namespace Fleet.Core.Releases;

/// <summary>Why an agent (or the controller) refused a release. Stable names: they are reported to the controller.</summary>
public enum ReleaseRefusalCode
{
    /// <summary>The envelope is larger than 1 MiB or its payload larger than 512 KiB.</summary>
    EnvelopeTooLarge,

    /// <summary>The envelope is not DSSE JSON, has bad base64, too many signatures or the wrong payload type.</summary>
    EnvelopeMalformed,

    /// <summary>No signature verifies with any key of the trust policy; the payload was not parsed.</summary>
    NoTrustedSignature,

    /// <summary>The trust policy itself has expired.</summary>
    TrustPolicyExpired,

    /// <summary>The signed payload is not a valid release manifest.</summary>
    ManifestMalformed,

    /// <summary>The trust policy has no rule for the manifest's environment.</summary>
    UnknownEnvironment,

    /// <summary>Fewer distinct keys of the environment signed than its threshold requires.</summary>
    ThresholdNotMet,

    /// <summary>The manifest is for another environment than this agent's.</summary>
    EnvironmentMismatch,

    /// <summary>This agent lacks one of the manifest's target labels.</summary>
    LabelsMismatch,

    /// <summary>The sequence is not greater than the last one applied for this app and environment (replay or downgrade).</summary>
    SequenceNotNewer,

    /// <summary>The manifest's expires_at has passed.</summary>
    Expired,

    /// <summary>An image is referenced by tag only, not pinned by <c>@sha256:</c> digest.</summary>
    ImageNotPinned,

    /// <summary>The manifest's created_at is further ahead of the verifier's clock than the allowed skew.</summary>
    NotYetValid,

    /// <summary>expires_at − created_at is longer than the trust policy allows for the environment.</summary>
    ValidityTooLong,
}

/// <summary>A refusal with its code and a message for people.</summary>
public sealed record ReleaseRefusal(ReleaseRefusalCode Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}
