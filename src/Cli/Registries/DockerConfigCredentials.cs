using System.Text;
using System.Text.Json;
using Fleet.Core.Registries;

namespace Fleet.Cli.Registries;

/// <summary>
/// Registry credentials where docker, crane and skopeo keep them: a docker <c>config.json</c>
/// (<c>--registry-credentials FILE</c>, else <c>$DOCKER_CONFIG/config.json</c>, else
/// <c>~/.docker/config.json</c>). For a registry it asks, as the docker CLI does, its
/// <c>credHelpers</c> entry, else the <c>credsStore</c> helper, and falls back to the base64
/// <c>user:password</c> of its <c>auths</c> entry. No file (and no explicit one): anonymous.
/// </summary>
internal sealed class DockerConfigCredentials(string path, bool explicitFile, IReadOnlyDictionary<string, string?> environment)
    : IRegistryCredentials
{
    public const string OptionName = "--registry-credentials";

    private readonly Dictionary<string, RegistryCredential?> _found = new(StringComparer.Ordinal);
    private JsonDocument? _config;

    public string Path { get; } = path;

    /// <summary>The explicit file when given, else docker's own.</summary>
    public static DockerConfigCredentials For(string? file, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (file is not null)
        {
            return new(System.IO.Path.GetFullPath(file), explicitFile: true, environment);
        }

        var folder = environment.GetValueOrDefault("DOCKER_CONFIG") is { Length: > 0 } dockerConfig
            ? dockerConfig
            : System.IO.Path.Combine(
                environment.GetValueOrDefault("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                ".docker");
        return new(System.IO.Path.Combine(folder, "config.json"), explicitFile: false, environment);
    }

    public string HowToProvide(string registry) => explicitFile
        ? $"add an entry for {registry} to {Path}"
        : $"run docker login {registry} (it writes {Path}), or pass {OptionName} FILE";

    public async ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken cancellationToken)
    {
        if (_found.TryGetValue(registry, out var known))
        {
            return known;
        }

        var found = Load() is { } root ? await LookUpAsync(root, registry, cancellationToken) : null;
        _found[registry] = found;
        return found;
    }

    private JsonElement? Load()
    {
        if (_config is null)
        {
            if (!File.Exists(Path))
            {
                return explicitFile ? throw new CliException($"{OptionName}: {Path} does not exist") : null;
            }

            try
            {
                _config = JsonDocument.Parse(File.ReadAllBytes(Path));
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read registry credentials from {Path}: {ex.Message}", inner: ex);
            }
        }

        return _config.RootElement.ValueKind == JsonValueKind.Object ? _config.RootElement : null;
    }

    private async Task<RegistryCredential?> LookUpAsync(JsonElement root, string registry, CancellationToken cancellationToken)
    {
        var helper = Entry(root, "credHelpers", registry)?.GetString()
            ?? (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String ? store.GetString() : null);
        if (!string.IsNullOrEmpty(helper))
        {
            var fromHelper = await new CredentialHelper(helper, environment).GetAsync(registry, $"docker-credential-{helper} (named in {Path})", cancellationToken);
            if (fromHelper is not null)
            {
                return fromHelper;
            }
        }

        return Entry(root, "auths", registry) is { ValueKind: JsonValueKind.Object } auth ? FromAuthsEntry(auth, registry) : null;
    }

    private RegistryCredential? FromAuthsEntry(JsonElement auth, string registry)
    {
        var source = $"the auths entry for {registry} in {Path}" + (explicitFile ? "" : $" (or run docker login {registry})");
        if (String(auth, "auth") is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException ex)
            {
                throw new CliException($"{source}: \"auth\" is not base64 of user:password", inner: ex);
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? new RegistryCredential(decoded[..colon], decoded[(colon + 1)..], source)
                : throw new CliException($"{source}: \"auth\" is not base64 of user:password");
        }

        if (String(auth, "username") is { Length: > 0 } username && String(auth, "password") is { } password)
        {
            return new RegistryCredential(username, password, source);
        }

        return String(auth, "identitytoken") is { Length: > 0 }
            ? throw new CliException($"{source} holds an identity token, which fleetctl does not use: give a user name and password (or access token) with {OptionName}")
            : null; // an empty entry: docker login wrote the secret to a credsStore that did not have it
    }

    // The entry of section whose key names this registry ("https://index.docker.io/v1/" names docker.io).
    private static JsonElement? Entry(JsonElement root, string section, string registry) =>
        root.TryGetProperty(section, out var entries) && entries.ValueKind == JsonValueKind.Object
            ? entries.EnumerateObject().Where(e => RegistryHost.Normalize(e.Name) == registry).Select(e => (JsonElement?)e.Value).FirstOrDefault()
            : null;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
