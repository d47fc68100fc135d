namespace Fleet.Cli.Secrets;

/// <summary>
/// One version of a secret in json output: never a value. latest marks what the next deploy pins;
/// holders are the keys it is sealed for (agent empty for a recovery key; current false when the
/// agent's key changed since, so its copy no longer opens).
/// </summary>
internal sealed record SecretJson(
    string App, string Environment, string Name, string Version, string? CreatedAt, bool Latest, IReadOnlyList<SecretHolderJson> Holders);

internal sealed record SecretHolderJson(string Agent, string AgentId, string KeyFingerprint, bool Current);

internal sealed record SecretListJson(IReadOnlyList<SecretJson> Secrets);
