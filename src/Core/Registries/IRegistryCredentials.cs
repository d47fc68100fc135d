namespace Fleet.Core.Registries;

/// <summary>Where the credentials for a registry come from: fleetctl's docker config, an agent's settings.</summary>
public interface IRegistryCredentials
{
    /// <summary>The credential for <paramref name="registry"/> (as <see cref="RegistryHost.Normalize"/> gives it), or null for anonymous access.</summary>
    ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken cancellationToken);

    /// <summary>What an operator does to give credentials for <paramref name="registry"/>, for the error when it wants some and there are none.</summary>
    string HowToProvide(string registry);
}
