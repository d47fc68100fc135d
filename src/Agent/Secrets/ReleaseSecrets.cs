using System.Globalization;
using Fleet.Agent.Deploy;
using Fleet.Agent.Identity;
using Fleet.Agent.Releases;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Secrets;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Secrets;

/// <summary>
/// Before a swap: fetches the copies of the release's pinned secret versions sealed for this agent,
/// opens each with the agent's key (which also checks that the value is the one the signed version
/// commits to), and writes them 0400 to ROOT/APP/RELEASE/SERVICE/NAME, one folder per service with
/// only the secrets it declares. A secret not granted to this agent fails the host's deploy before
/// anything changes. Folders of releases the journal no longer names are removed.
/// </summary>
internal sealed partial class ReleaseSecrets(
    ISealedSecretsClient client, AgentEncryptionKey key, AgentCredentials credentials, AppliedReleases applied,
    IOptions<SecretsOptions> options, ILogger<ReleaseSecrets> logger) : IReleaseSecrets
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public async Task<(DeployRequest? Request, string? Error)> PrepareAsync(ReleaseManifest manifest, DeployRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(request);
        var names = manifest.Release.SecretNames();
        if (names.Count == 0)
        {
            return (request, null);
        }

        var wanted = names.Select(n => new SecretReference { Name = n, Version = manifest.Release.Secrets![n] }).ToList();
        IReadOnlyList<SealedCopy> copies;
        try
        {
            copies = await client.GetAsync(manifest.App, manifest.Environment, wanted, cancellationToken);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"cannot fetch the release's sealed secrets from the controller: {ex.Status.Detail}");
        }

        var missing = wanted.Where(w => !copies.Any(c => c.Name == w.Name && c.Version == w.Version)).ToList();
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing.Select(m => $"{m.Name} (version {m.Version[..12]})"));
            Log.NotGranted(logger, manifest.App, manifest.Sequence, list);
            return (null, $"secret {list} of {manifest.App} in {manifest.Environment} is not granted to agent {credentials.Config.Name} (key {key.Fingerprint[..19]}): " +
                $"run 'fleetctl secrets grant {credentials.Config.Name}' where the environment's recovery key is, then deploy again");
        }

        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var reference in wanted)
        {
            var copy = copies.First(c => c.Name == reference.Name && c.Version == reference.Version);
            try
            {
                values[reference.Name] = SecretValue.Open(key.Key, new SecretContext(manifest.App, manifest.Environment, reference.Name, reference.Version), copy.Ciphertext.Span).Value;
            }
            catch (SecretSealException ex)
            {
                return (null, $"{ex.Message}; seal it again for this agent with 'fleetctl secrets grant {credentials.Config.Name}'");
            }
        }

        return (Write(manifest, request, values), null);
    }

    private DeployRequest Write(ReleaseManifest manifest, DeployRequest request, Dictionary<string, byte[]> values)
    {
        var appFolder = Path.Combine(options.Value.Root, manifest.App);
        Directory.CreateDirectory(appFolder, OwnerOnlyFolder);
        RemoveUnused(appFolder, manifest.Sequence);
        var releaseFolder = Path.Combine(appFolder, manifest.Sequence.ToString(CultureInfo.InvariantCulture));
        var services = new List<Deploy.ServiceSpec>();
        foreach (var service in request.Services)
        {
            var uses = manifest.Release.Services.First(s => s.Name == service.Name).Secrets ?? [];
            if (uses.Count == 0)
            {
                services.Add(service);
                continue;
            }

            var folder = Path.Combine(releaseFolder, service.Name);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(folder, OwnerOnlyFolder);
            foreach (var use in uses)
            {
                using var file = new FileStream(Path.Combine(folder, use.Name), new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead,
                });
                file.Write(values[use.Name]);
            }

            services.Add(service with { SecretsDir = folder });
        }

        Log.Written(logger, manifest.App, manifest.Sequence, values.Count);
        return request with { Services = services };
    }

    // What the journal still names (applied, previous, pending) may be started again by a rollback or the reconciler.
    private void RemoveUnused(string appFolder, long release)
    {
        var keep = applied.Services(Path.GetFileName(appFolder))
            .SelectMany(e => new[] { e.Applied?.Release, e.Previous?.Release, e.Pending?.Release })
            .OfType<long>()
            .Append(release)
            .Select(r => r.ToString(CultureInfo.InvariantCulture))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(appFolder).Where(f => !keep.Contains(Path.GetFileName(f))))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6500, LogLevel.Warning, "Release {Sequence} of {App} uses secrets not granted to this agent: {Secrets}")]
        public static partial void NotGranted(ILogger logger, string app, long sequence, string secrets);

        [LoggerMessage(6501, LogLevel.Information, "Wrote {Count} secrets of {App} release {Sequence} for its containers")]
        public static partial void Written(ILogger logger, string app, long sequence, int count);
    }
}
