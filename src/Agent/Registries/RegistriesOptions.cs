namespace Fleet.Agent.Registries;

/// <summary>The agent's <c>Registries</c> section: credentials for pulling from registries that want them.</summary>
internal sealed class RegistriesOptions
{
    public const string Section = "Registries";

    /// <summary>One entry per registry; images on any other registry are pulled anonymously. Default none.</summary>
    public List<RegistryCredentialSettings> Credentials { get; set; } = [];
}

/// <summary>
/// A user name for one registry and the file holding its password or access token (a GCR or
/// Artifact Registry service-account key: user <c>_json_key</c>, the key's JSON file as the password).
/// </summary>
internal sealed class RegistryCredentialSettings
{
    /// <summary>Registry host as image references name it: <c>ghcr.io</c>, <c>europe-docker.pkg.dev</c>, <c>registry.example.com:5000</c>, <c>docker.io</c>. Required.</summary>
    public string Registry { get; set; } = "";

    /// <summary>User name. Required.</summary>
    public string Username { get; set; } = "";

    /// <summary>Absolute path of the file holding the password (mode 0600 or stricter; one trailing newline is ignored). Read at each pull, so it can be rotated. Required.</summary>
    public string PasswordFile { get; set; } = "";
}
