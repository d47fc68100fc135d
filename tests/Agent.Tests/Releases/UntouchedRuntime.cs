using Fleet.Agent.Deploy;
using ImageReference = Fleet.Core.Releases.ImageReference;

namespace Fleet.Agent.Tests.Releases;

/// <summary>A container runtime that must not be used: every call is counted and fails.</summary>
internal sealed class UntouchedRuntime : IContainerRuntime
{
    public int Calls { get; private set; }

    public Task PullAsync(ImageReference image, IProgress<PullProgress> progress, CancellationToken cancellationToken) => Touch<bool>();

    public Task<IReadOnlyList<string>> GetRepoDigestsAsync(string image, CancellationToken cancellationToken) => Touch<IReadOnlyList<string>>();

    public Task<string> GetDataRootAsync(CancellationToken cancellationToken) => Touch<string>();

    public Task EnsureVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) => Touch<bool>();

    public Task<IReadOnlyList<VolumeSummary>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        Touch<IReadOnlyList<VolumeSummary>>();

    public Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken) => Touch<string>();

    public Task StartAsync(string id, CancellationToken cancellationToken) => Touch<bool>();

    public Task RestartAsync(string id, TimeSpan grace, CancellationToken cancellationToken) => Touch<bool>();

    public Task StopAsync(string id, TimeSpan grace, CancellationToken cancellationToken) => Touch<bool>();

    public Task RemoveAsync(string id, CancellationToken cancellationToken) => Touch<bool>();

    public Task<ContainerStatus?> InspectAsync(string id, CancellationToken cancellationToken) => Touch<ContainerStatus?>();

    public Task<IReadOnlyList<ContainerSummary>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        Touch<IReadOnlyList<ContainerSummary>>();

    public Task<long> WaitAsync(string id, CancellationToken cancellationToken) => Touch<long>();

    public Task<string> LogTailAsync(string id, int lines, CancellationToken cancellationToken) => Touch<string>();

    public Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken cancellationToken) => Touch<ExecResult>();

    private Task<T> Touch<T>()
    {
        Calls++;
        return Task.FromException<T>(new InvalidOperationException("the container runtime must not be used here"));
    }
}
