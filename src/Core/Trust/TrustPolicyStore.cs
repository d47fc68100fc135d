namespace Fleet.Core.Trust;

/// <summary>
/// The installed trust policy file (for the agent, <c>/etc/fleet/trust.json</c>): the signed
/// envelope exactly as accepted. Replaced atomically, and only through <see cref="TrustPolicyRotation"/>.
/// </summary>
public sealed class TrustPolicyStore(string path)
{
    public string Path { get; } = path;

    /// <summary>The installed policy, or null when none is installed. Throws <see cref="DsseFormatException"/> on a damaged file.</summary>
    public SignedTrustPolicy? Load() =>
        File.Exists(Path) ? SignedTrustPolicy.Open(File.ReadAllBytes(Path)) : null;

    /// <summary>Offers <paramref name="candidateJson"/>; writes it only when accepted.</summary>
    public TrustPolicyDecision Install(ReadOnlySpan<byte> candidateJson, bool allowFirstInstall, DateTimeOffset now)
    {
        var decision = TrustPolicyRotation.Evaluate(Load(), candidateJson, allowFirstInstall, now);
        if (decision.Accepted is { } accepted)
        {
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
            Directory.CreateDirectory(folder);
            var temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
            File.WriteAllBytes(temporary, accepted.Envelope.ToJson());
            File.Move(temporary, Path, overwrite: true);
        }

        return decision;
    }
}
