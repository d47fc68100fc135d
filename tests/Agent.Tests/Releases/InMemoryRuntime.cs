using Fleet.Agent.Deploy;
using ImageReference = Fleet.Core.Releases.ImageReference;

namespace Fleet.Agent.Tests.Releases;

/// <summary>
/// A container runtime in memory, for swaps without Docker: pulls are instant, containers run once
/// started, and a command health check passes unless its image was told to turn unhealthy.
/// </summary>
internal sealed class InMemoryRuntime : IContainerRuntime
{
    private readonly HashSet<string> _pulled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Container> _containers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _passingChecks = new(StringComparer.Ordinal);
    private int _created;

    /// <summary>Each container of <paramref name="image"/> passes its first <paramref name="passingChecks"/> health checks, then fails every one.</summary>
    public void TurnUnhealthy(string image, int passingChecks = 0) => _passingChecks[image] = passingChecks;

    public void Recover(string image) => _passingChecks.Remove(image);

    public Task PullAsync(ImageReference image, IProgress<PullProgress> progress, CancellationToken cancellationToken)
    {
        _pulled.Add(image.Pinned);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> GetRepoDigestsAsync(string image, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(_pulled.Contains(image) ? [image] : []);

    public Task<string> GetDataRootAsync(CancellationToken cancellationToken) => Task.FromResult("/nonexistent/docker");

    public Task EnsureVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<VolumeSummary>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VolumeSummary>>([]);

    public Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var id = $"container-{++_created}";
        _containers[id] = new Container(spec);
        return Task.FromResult(id);
    }

    public Task StartAsync(string id, CancellationToken cancellationToken)
    {
        _containers[id].Running = true;
        return Task.CompletedTask;
    }

    public Task RestartAsync(string id, TimeSpan grace, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(string id, TimeSpan grace, CancellationToken cancellationToken)
    {
        if (_containers.TryGetValue(id, out var container))
        {
            container.Running = false;
        }

        return Task.CompletedTask;
    }

    // Docker removes by id or by name.
    public Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var key in _containers.Where(c => c.Key == id || c.Value.Spec.Name == id).Select(c => c.Key).ToList())
        {
            _containers.Remove(key);
        }

        return Task.CompletedTask;
    }

    public Task<ContainerStatus?> InspectAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_containers.TryGetValue(id, out var container) ? new ContainerStatus(id, container.Running, false, 0, 0, "") : null);

    public Task<IReadOnlyList<ContainerSummary>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ContainerSummary>>(
            [.. _containers
                .Where(c => labels.All(l => c.Value.Spec.Labels.GetValueOrDefault(l.Key) == l.Value))
                .Select(c => new ContainerSummary(c.Key, c.Value.Spec.Name, c.Value.Spec.Labels, c.Value.Running))]);

    public Task<long> WaitAsync(string id, CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task<string> LogTailAsync(string id, int lines, CancellationToken cancellationToken) => Task.FromResult("");

    public Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var container = _containers[id];
        container.Checks++;
        var healthy = !_passingChecks.TryGetValue(container.Spec.Image, out var passing) || container.Checks <= passing;
        return Task.FromResult(healthy ? new ExecResult(0, "ok") : new ExecResult(1, "unhealthy"));
    }

    private sealed class Container(ContainerSpec spec)
    {
        public ContainerSpec Spec { get; } = spec;

        public bool Running { get; set; }

        public int Checks { get; set; }
    }
}
