namespace Fleet.Cli.Agents;

/// <summary>
/// One agent in json output. Times are ISO-8601 UTC strings, or null when unknown; state is
/// connected, down, revoked, pending or unknown; status is null before the agent's first snapshot;
/// releases lists what it runs per app and environment; encryptionKey is the fingerprint
/// (sha256:HEX) of the key its secrets are sealed for, null before it registered one.
/// </summary>
internal sealed record AgentJson(
    string Name,
    string AgentId,
    string State,
    IReadOnlyDictionary<string, string> Labels,
    string? LastSeen,
    string? EnrolledAt,
    string? CertificateNotAfter,
    AgentStatusJson? Status,
    IReadOnlyList<AgentReleaseJson> Releases,
    string? EncryptionKey);

/// <summary>What an agent runs of one app in one environment; sequence 0 when its first release was withdrawn.</summary>
internal sealed record AgentReleaseJson(string App, string Environment, long Sequence);
