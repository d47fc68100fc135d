using Fleet.Core.Trust;

namespace Fleet.Core.Releases;

/// <summary>Accept, or refuse with a reason; nothing is applied on a refusal.</summary>
public sealed record AdmissionDecision(VerifiedRelease? Accepted, ReleaseRefusal? Refusal)
{
    public bool IsAccepted => Accepted is not null;

    public static AdmissionDecision Refuse(ReleaseRefusalCode code, string message) => new(null, new ReleaseRefusal(code, message));
}
