using Fleet.Cli.Connection;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;

namespace Fleet.Cli.Deploy;

/// <summary>Pins the latest version of every secret the release uses, as image tags are pinned to digests.</summary>
internal static class SecretPinning
{
    public static async Task<ReleaseDefinition> PinAsync(IFleetApi api, ReleaseDefinition definition, string environment, CancellationToken cancellationToken)
    {
        var names = definition.SecretNames();
        if (names.Count == 0)
        {
            return definition;
        }

        var latest = (await api.ListSecretsAsync(new ListSecretsRequest { Environment = environment, App = definition.App }, cancellationToken)).Secrets
            .Where(s => s.Latest)
            .ToDictionary(s => s.Name, s => s.Version, StringComparer.Ordinal);
        var missing = names.Where(n => !latest.ContainsKey(n)).ToList();
        return missing.Count == 0
            ? definition.WithSecretVersions(latest)
            : throw new CliException($"the release uses secrets that are not set for {definition.App} in {environment}: {string.Join(", ", missing)}; " +
                $"run fleetctl secrets set {definition.App} {missing[0]} --env {environment}");
    }
}
