namespace Fleet.Core.Releases;

/// <summary>What a service receives besides its plain environment: sealed secrets and a host env file.</summary>
public sealed partial record ServiceSpec
{
    /// <summary>
    /// Secrets the service receives (fleet.yaml <c>secrets:</c>), each as the file
    /// <c>/run/secrets/NAME</c> and, when <see cref="SecretUse.Env"/> is set, as that environment
    /// variable too. Null when none, which keeps such manifests' canonical JSON unchanged.
    /// </summary>
    public IReadOnlyList<SecretUse>? Secrets { get; init; }

    /// <summary>
    /// A file on the host (absolute path, KEY=VALUE lines) read by the agent when it starts the
    /// container and added to its environment; never read by fleetctl nor sent anywhere. Null when none.
    /// </summary>
    public string? EnvFile { get; init; }
}

/// <summary>One secret a service receives; <see cref="Env"/> names an environment variable that also carries it.</summary>
public sealed record SecretUse
{
    public required string Name { get; init; }

    public string? Env { get; init; }
}
