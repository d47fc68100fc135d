using System.Text.RegularExpressions;
using Fleet.Core.Registries;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Registries;

/// <summary>Checks the whole <c>Registries</c> section at start and reports every error at once.</summary>
internal sealed partial class RegistriesOptionsValidator : IValidateOptions<RegistriesOptions>
{
    public ValidateOptionsResult Validate(string? name, RegistriesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Credentials.Count; i++)
        {
            var entry = options.Credentials[i];
            var at = $"{RegistriesOptions.Section}:Credentials:{i}";
            if (!HostPattern().IsMatch(entry.Registry))
            {
                errors.Add($"{at}:Registry '{entry.Registry}' must be a registry host[:port] such as ghcr.io or registry.example.com:5000 (no scheme, no path).");
            }
            else if (!seen.Add(RegistryHost.Normalize(entry.Registry)))
            {
                errors.Add($"{at}:Registry '{entry.Registry}' has credentials twice.");
            }

            if (string.IsNullOrWhiteSpace(entry.Username) || entry.Username.Contains(':', StringComparison.Ordinal))
            {
                errors.Add($"{at}:Username is required and may not contain ':'.");
            }

            if (PasswordFile.Problem(entry.PasswordFile) is { } problem)
            {
                errors.Add($"{at}:PasswordFile {problem}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?\\z")]
    private static partial Regex HostPattern();
}
