using Docker.DotNet;
using Docker.DotNet.Models;

namespace Fleet.Agent.Acme;

/// <summary>Signals containers through the Docker engine at DOCKER_HOST (default unix:///var/run/docker.sock).</summary>
internal sealed class DockerContainerSignaller : IContainerSignaller, IDisposable
{
    private readonly DockerClient _docker = new DockerClientConfiguration(
        new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock")).CreateClient();

    public Task SignalAsync(string container, string signal, CancellationToken cancellationToken) =>
        _docker.Containers.KillContainerAsync(container, new ContainerKillParameters { Signal = signal }, cancellationToken);

    public void Dispose() => _docker.Dispose();
}
