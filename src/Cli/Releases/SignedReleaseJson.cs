namespace Fleet.Cli.Releases;

/// <summary>
/// What fleetctl read in the signed payload of a release and checked against the operator's own
/// trust policy (<c>releases show --output json</c>, the <c>signed</c> field).
/// </summary>
internal sealed record SignedReleaseJson(
    string? App, string? Environment, long? Sequence, string? CreatedAt, string? ExpiresAt, string? Strategy,
    IReadOnlyList<ImageJson> Services, IReadOnlyList<ImageJson> Hooks, IReadOnlyList<SignatureJson> Signatures,
    int? Threshold, bool ThresholdMet, string TrustPolicy, long? TrustPolicyVersion,
    RunningReleaseJson? Running, IReadOnlyList<ChangeJson> Changes, IReadOnlyList<string> Problems);

internal sealed record ImageJson(string Name, string Image, string? Digest);

/// <summary>One signature: the key id it claims, the name of the key of the operator's policy that verified it (null: none), and whether it counts for the environment.</summary>
internal sealed record SignatureJson(string KeyId, string? VerifiedKey, bool Counts);

internal sealed record RunningReleaseJson(string ReleaseId, long Sequence, IReadOnlyList<string> Problems);

internal sealed record ChangeJson(string Kind, string Name, string? From, string? To);
