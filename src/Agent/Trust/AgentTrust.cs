using Fleet.Core.Trust;

namespace Fleet.Agent.Trust;

/// <summary>
/// The agent's installed trust policy, <c>STATE/trust.json</c>: releases are admitted only when
/// signed by the keys it names. Installed by <c>fleet-agent trust install</c>.
/// </summary>
internal sealed class AgentTrust(string stateDir)
{
    public const string FileName = "trust.json";

    private readonly TrustPolicyStore _store = new(System.IO.Path.Combine(System.IO.Path.GetFullPath(stateDir), FileName));

    public string Path => _store.Path;

    /// <summary>The installed policy, or null when none is installed. Throws <see cref="DsseFormatException"/> on a damaged file.</summary>
    public SignedTrustPolicy? Load() => _store.Load();

    /// <summary>
    /// Installs <paramref name="candidateJson"/> when accepted: a first install is allowed (an
    /// operator runs this by hand), a rotation needs the threshold of the installed root keys.
    /// A refusal changes nothing.
    /// </summary>
    public TrustPolicyDecision Install(ReadOnlySpan<byte> candidateJson, DateTimeOffset now) =>
        _store.Install(candidateJson, allowFirstInstall: true, now);
}
