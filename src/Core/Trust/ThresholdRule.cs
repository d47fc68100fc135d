namespace Fleet.Core.Trust;

/// <summary>Which keys count for a decision and how many distinct ones must sign.</summary>
public sealed record ThresholdRule(IReadOnlySet<string> KeyIds, int Threshold)
{
    /// <summary>Distinct signers of <paramref name="verifiedSigners"/> that this rule counts.</summary>
    public int CountSigners(IReadOnlySet<string> verifiedSigners)
    {
        ArgumentNullException.ThrowIfNull(verifiedSigners);
        return KeyIds.Count(verifiedSigners.Contains);
    }

    public bool IsMetBy(IReadOnlySet<string> verifiedSigners) => CountSigners(verifiedSigners) >= Threshold;
}
