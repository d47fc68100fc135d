using Docker.DotNet;
using Docker.DotNet.Models;
using Fleet.Agent.Deploy;

namespace Fleet.Agent.Acme;

/// <summary>Signals containers through the Docker engine at DOCKER_HOST (default unix:///var/run/docker.sock).</summary>
internal sealed class DockerContainerSignaller : IContainerSignaller, IDisposable
{
    private readonly DockerClient _docker = new DockerClientConfiguration(
        new Uri(Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock")).CreateClient();

    public Task SignalAsync(string container, string signal, CancellationToken cancellationToken) =>
        _docker.Containers.KillContainerAsync(container, new ContainerKillParameters { Signal = signal }, cancellationToken);

    public async Task SignalServiceAsync(string app, string service, string signal, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, bool>
        {
            [$"{SlotContainers.AppLabel}={app}"] = true,
            [$"{SlotContainers.ServiceLabel}={service}"] = true,
        };
        var containers = await _docker.Containers.ListContainersAsync(
            new ContainersListParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels } }, cancellationToken);
        var running = containers.Where(c => !c.Labels.ContainsKey(SlotContainers.HookLabel)).ToList();
        if (running.Count == 0)
        {
            throw new InvalidOperationException($"no container of service {app}/{service} is running");
        }

        foreach (var container in running)
        {
            await SignalAsync(container.ID, signal, cancellationToken);
        }
    }

    public void Dispose() => _docker.Dispose();
}
