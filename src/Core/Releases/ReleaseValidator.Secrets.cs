using System.Text.RegularExpressions;
using Fleet.Core.Naming;

namespace Fleet.Core.Releases;

/// <summary>Rules for the secrets services use and the versions a release pins.</summary>
public static partial class ReleaseValidator
{
    /// <summary>A secret name: 1-64 of A-Z a-z 0-9 _ . -, not starting with '.' or '-' (it becomes a file name).</summary>
    public static bool IsValidSecretName(string name) => SecretName().IsMatch(name);

    /// <summary>A secret version: 64 lowercase hex digits.</summary>
    public static bool IsValidSecretVersion(string version) => SecretVersion().IsMatch(version);

    /// <summary>An app or environment name: 1-63 lowercase letters, digits or '-'.</summary>
    public static bool IsValidName(string name) => NameRules.Name().IsMatch(name);

    private static void ValidateSecrets(List<ValidationError> errors, ReleaseDefinition release)
    {
        foreach (var service in release.Services)
        {
            var path = $"services.{service.Name}";
            foreach (var use in service.Secrets ?? [])
            {
                Check(errors, $"{path}.secrets.{use.Name}", IsValidSecretName(use.Name), "secret names are 1-64 of A-Z a-z 0-9 _ . - and start with a letter, digit or '_'");
                if (use.Env is { } env)
                {
                    Check(errors, $"{path}.secrets.{use.Name}.env", EnvironmentKey().IsMatch(env), "must be an environment variable name");
                    Check(errors, $"{path}.secrets.{use.Name}.env", !service.Environment.ContainsKey(env), $"'{env}' is also set in environment");
                }
            }

            CheckUnique(errors, path + ".secrets", (service.Secrets ?? []).Select(u => u.Name));
            CheckUnique(errors, path + ".secrets", (service.Secrets ?? []).Select(u => u.Env).OfType<string>());
            if (service.EnvFile is { } envFile)
            {
                Check(errors, path + ".env_file", Path.IsPathFullyQualified(envFile) && !envFile.Split('/').Contains("..") && !envFile.Contains('\n', StringComparison.Ordinal),
                    "must be an absolute path on the host without '..'");
            }
        }

        if (release.Secrets is not { } pinned)
        {
            return;
        }

        var used = release.SecretNames();
        foreach (var (name, version) in pinned)
        {
            Check(errors, $"secrets.{name}", used.Contains(name), "no service uses this secret");
            Check(errors, $"secrets.{name}", IsValidSecretVersion(version), "a secret version is 64 lowercase hex digits");
        }

        foreach (var name in used.Where(n => !pinned.ContainsKey(n)))
        {
            errors.Add(new ValidationError($"secrets.{name}", "the secret's version is not pinned"));
        }
    }

    // A manifest an agent applies names the version of every secret it uses.
    private static void ValidatePinnedSecrets(List<ValidationError> errors, ReleaseDefinition release) =>
        Check(errors, "release.secrets", release.Secrets is not null || release.SecretNames().Count == 0,
            $"the versions of secrets {string.Join(", ", release.SecretNames())} are not pinned (fleetctl deploy pins them)");

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\z")]
    private static partial Regex SecretName();

    [GeneratedRegex("^[0-9a-f]{64}\\z")]
    private static partial Regex SecretVersion();
}
