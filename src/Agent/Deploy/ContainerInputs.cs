using System.Globalization;

namespace Fleet.Agent.Deploy;

/// <summary>
/// What a container receives besides the release's plain environment: the lines of its host
/// <c>env_file</c>, the secrets declared as environment variables (read from the files the secrets
/// feature wrote), and the read-only bind mount of those files at <see cref="SecretsTarget"/>. Read
/// when the container is created, so no value rests in the journal. Errors name the file and line, never a value.
/// </summary>
internal static class ContainerInputs
{
    public const string SecretsTarget = "/run/secrets";

    /// <summary>The container's environment on top of <paramref name="env"/>: env_file lines, then secrets.</summary>
    public static Dictionary<string, string> Environment(ServiceSpec spec, IReadOnlyDictionary<string, string> env)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec.EnvFile is { } envFile)
        {
            foreach (var (key, value) in ReadEnvFile(envFile))
            {
                result[key] = value;
            }
        }

        foreach (var (key, value) in env)
        {
            result[key] = value;
        }

        foreach (var (variable, secret) in spec.SecretEnv ?? new Dictionary<string, string>())
        {
            var path = Path.Combine(spec.SecretsDir ?? throw new InvalidOperationException($"secret {secret} has no folder on this host"), secret);
            result[variable] = File.ReadAllText(path);
        }

        return result;
    }

    /// <summary>The bind mount of the service's secret files, read-only, or none.</summary>
    public static IReadOnlyList<MountSpec> SecretMounts(ServiceSpec spec) =>
        spec.SecretsDir is { } folder ? [new MountSpec(MountKind.Bind, folder, SecretsTarget, ReadOnly: true)] : [];

    private static IEnumerable<KeyValuePair<string, string>> ReadEnvFile(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"env_file {path} cannot be read: {ex.GetType().Name}", ex);
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"env_file {path} line {i + 1} is not KEY=VALUE"));
            }

            yield return new(line[..equals], line[(equals + 1)..]);
        }
    }
}
