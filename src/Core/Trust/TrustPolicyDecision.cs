namespace Fleet.Core.Trust;

public enum TrustPolicyRefusalCode
{
    /// <summary>The envelope or policy is malformed, oversized or of the wrong payload type.</summary>
    Malformed,

    /// <summary>No policy is installed and this call does not allow a first install.</summary>
    FirstInstallNotAllowed,

    /// <summary>Fewer than the threshold of the installed policy's root keys signed the new one.</summary>
    NotSignedByCurrentRoots,

    /// <summary>Fewer than the threshold of the new policy's own root keys signed it.</summary>
    NotSignedByOwnRoots,

    /// <summary>The new policy's version is not higher than the installed one's.</summary>
    VersionNotHigher,

    /// <summary>The new policy's expires_at has passed.</summary>
    Expired,
}

/// <summary>Outcome of offering a trust policy: accepted (with the policy) or refused with a reason.</summary>
public sealed record TrustPolicyDecision(SignedTrustPolicy? Accepted, TrustPolicyRefusalCode? Refusal, string Message)
{
    public bool IsAccepted => Accepted is not null;

    public static TrustPolicyDecision Accept(SignedTrustPolicy policy, string message) => new(policy, null, message);

    public static TrustPolicyDecision Refuse(TrustPolicyRefusalCode code, string message) => new(null, code, message);
}
