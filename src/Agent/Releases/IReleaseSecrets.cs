using Fleet.Agent.Deploy;
using Fleet.Core.Releases;

namespace Fleet.Agent.Releases;

/// <summary>
/// What the apply path asks of the secrets feature before anything changes: the secret files of
/// the release's services, written where the containers will mount them.
/// </summary>
internal interface IReleaseSecrets
{
    /// <summary>The request with each service's secret folder set, or the reason this host cannot deploy the release.</summary>
    Task<(DeployRequest? Request, string? Error)> PrepareAsync(ReleaseManifest manifest, DeployRequest request, CancellationToken cancellationToken);
}

/// <summary>An agent built without the secrets feature: a release that uses secrets fails; others pass unchanged.</summary>
internal sealed class NoReleaseSecrets : IReleaseSecrets
{
    public Task<(DeployRequest? Request, string? Error)> PrepareAsync(ReleaseManifest manifest, DeployRequest request, CancellationToken cancellationToken) =>
        Task.FromResult<(DeployRequest?, string?)>(manifest.Release.SecretNames().Count == 0
            ? (request, null)
            : (null, "the release uses secrets but this agent runs without the secrets feature"));
}
