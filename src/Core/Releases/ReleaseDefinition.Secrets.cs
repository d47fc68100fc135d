namespace Fleet.Core.Releases;

/// <summary>The secret versions a release runs with.</summary>
public sealed partial record ReleaseDefinition
{
    /// <summary>
    /// The version (a commitment to the value, see docs/secrets.md) of every secret the services
    /// use, pinned by <c>fleetctl deploy</c> like image digests, so the signature covers which values
    /// the release runs with and a rollback runs with the values it was signed with. Null in
    /// fleet.yaml and when no service uses a secret.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Secrets { get; init; }

    /// <summary>Every secret name the services use, in order, once.</summary>
    public IReadOnlyList<string> SecretNames() =>
        [.. Services.SelectMany(s => s.Secrets ?? []).Select(u => u.Name).Distinct(StringComparer.Ordinal)];

    /// <summary>A copy with the secrets' versions pinned (name → version); null when no service uses a secret.</summary>
    public ReleaseDefinition WithSecretVersions(IReadOnlyDictionary<string, string> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        var names = SecretNames();
        return this with
        {
            Secrets = names.Count == 0 ? null : new SortedDictionary<string, string>(names.ToDictionary(n => n, n => versions[n]), StringComparer.Ordinal),
        };
    }
}
