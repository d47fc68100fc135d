namespace Fleet.Core.Trust;

/// <summary>Finds which keys really signed an envelope.</summary>
public static class DsseVerifier
{
    /// <summary>
    /// Returns the distinct key ids among <paramref name="candidates"/> with a valid signature on
    /// <paramref name="envelope"/>. A key that signed twice counts once. A signature's keyid only
    /// chooses which key to try first: a signature whose hint is missing, unknown or wrong is
    /// still checked against every other candidate, and a hint never makes a key count.
    /// </summary>
    public static IReadOnlySet<string> VerifiedSigners(DsseEnvelope envelope, IEnumerable<OperatorPublicKey> candidates) =>
        TrustedSignatures(envelope, candidates).Select(s => s.KeyId).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The signatures of <paramref name="envelope"/> that verify with one of
    /// <paramref name="candidates"/>, one per key (the first that verifies), in envelope order,
    /// each labelled with the id of the key that verified it. Signatures by unknown keys, bad
    /// signatures and a key's second signature are left out (see <see cref="VerifiedSigners"/>).
    /// </summary>
    public static IReadOnlyList<DsseSignature> TrustedSignatures(DsseEnvelope envelope, IEnumerable<OperatorPublicKey> candidates)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(candidates);
        var keys = candidates.DistinctBy(k => k.KeyId).ToList();
        var pae = Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload);
        var signers = new HashSet<string>(StringComparer.Ordinal);
        var trusted = new List<DsseSignature>();
        foreach (var signature in envelope.Signatures)
        {
            var ordered = keys
                .Where(k => !signers.Contains(k.KeyId))
                .OrderBy(k => string.Equals(k.KeyId, signature.KeyId, StringComparison.Ordinal) ? 0 : 1);
            var signer = ordered.FirstOrDefault(k => k.Verify(pae, signature.Signature));
            if (signer is not null)
            {
                signers.Add(signer.KeyId);
                trusted.Add(new DsseSignature(signer.KeyId, signature.Signature));
            }
        }

        return trusted;
    }
}
