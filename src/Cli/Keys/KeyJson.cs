namespace Fleet.Cli.Keys;

/// <summary><c>fleetctl keys generate|list --output json</c>: one operator key.</summary>
internal sealed record KeyJson(string Name, string KeyId, bool CanSign, string PublicKeyPath);

/// <summary><c>fleetctl keys list --output json</c>.</summary>
internal sealed record KeyListJson(IReadOnlyList<KeyJson> Keys);
