namespace Fleet.Core.Trust;

/// <summary>A trust policy together with the envelope it arrived in.</summary>
public sealed record SignedTrustPolicy(TrustPolicy Policy, DsseEnvelope Envelope)
{
    /// <summary>
    /// Opens a policy envelope that is already trusted (the installed file): parses it and checks
    /// that a threshold of its own root keys signed it, so a damaged or hand-edited file is refused.
    /// Throws <see cref="DsseFormatException"/>.
    /// </summary>
    public static SignedTrustPolicy Open(ReadOnlySpan<byte> envelopeJson)
    {
        var envelope = DsseEnvelope.Parse(envelopeJson, TrustPolicy.PayloadType);
        var policy = TrustPolicy.ParsePayload(envelope.Payload);
        var signers = DsseVerifier.VerifiedSigners(envelope, policy.RootKeys);
        if (!policy.Root.IsMetBy(signers))
        {
            throw new DsseFormatException(
                $"trust policy v{policy.Version} is signed by {policy.Root.CountSigners(signers)} of its root keys; {policy.Root.Threshold} required");
        }

        return new SignedTrustPolicy(policy, envelope);
    }
}
