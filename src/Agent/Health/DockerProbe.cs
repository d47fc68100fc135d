using Docker.DotNet;

namespace Fleet.Agent.Health;

internal interface IDockerProbe
{
    /// <summary>The engine's version, or null when it does not answer in time.</summary>
    Task<string?> GetVersionAsync(CancellationToken cancellationToken);
}

/// <summary>Asks the Docker engine at DOCKER_HOST (default the local socket) for its version.</summary>
internal sealed class DockerProbe(Uri endpoint, TimeProvider time) : IDockerProbe, IDisposable
{
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly DockerClient _client = new DockerClientConfiguration(endpoint, defaultTimeout: Timeout).CreateClient();

    public async Task<string?> GetVersionAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var version = await _client.System.GetVersionAsync(linked.Token);
            return version.Version;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever the failure (no socket, refused, timeout, API error), Docker is not usable.
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}
