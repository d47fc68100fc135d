using ImageReference = Fleet.Core.Releases.ImageReference;

namespace Fleet.Agent.Deploy;

/// <summary>The few container operations a swap needs; Docker.DotNet stays behind it.</summary>
internal interface IContainerRuntime
{
    /// <summary>Pulls by digest, reporting bytes downloaded so far and the known total.</summary>
    Task PullAsync(ImageReference image, IProgress<PullProgress> progress, CancellationToken cancellationToken);

    /// <summary>The RepoDigests of a local image, or an empty list when it is not present.</summary>
    Task<IReadOnlyList<string>> GetRepoDigestsAsync(string image, CancellationToken cancellationToken);

    /// <summary>Folder holding images and containers on the host (for the free space check).</summary>
    Task<string> GetDataRootAsync(CancellationToken cancellationToken);

    Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken);

    /// <summary>Creates the named volume with these labels unless it exists; an existing volume and its data are kept.</summary>
    Task EnsureVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>Volumes carrying every given label.</summary>
    Task<IReadOnlyList<VolumeSummary>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    Task StartAsync(string id, CancellationToken cancellationToken);

    Task StopAsync(string id, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Stops (SIGTERM, then SIGKILL after <paramref name="grace"/>) and starts the same container again.</summary>
    Task RestartAsync(string id, TimeSpan grace, CancellationToken cancellationToken);

    /// <summary>Force-removes a container; a missing container is not an error.</summary>
    Task RemoveAsync(string id, CancellationToken cancellationToken);

    /// <summary>Null when the container does not exist.</summary>
    Task<ContainerStatus?> InspectAsync(string id, CancellationToken cancellationToken);

    /// <summary>All containers (running or not) carrying every given label.</summary>
    Task<IReadOnlyList<ContainerSummary>> ListAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    Task<long> WaitAsync(string id, CancellationToken cancellationToken);

    Task<string> LogTailAsync(string id, int lines, CancellationToken cancellationToken);

    Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken cancellationToken);
}

internal sealed record PullProgress(long BytesDone, long BytesTotal);

internal sealed record ContainerSpec(
    string Name,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyList<string>? Command,
    string Network,
    IReadOnlyList<PortSpec> PublishedPorts,
    RestartPolicy Restart,
    IReadOnlyList<MountSpec>? Mounts = null,
    ResourceLimits? Resources = null);

internal sealed record ContainerStatus(string Id, bool Running, bool Restarting, long ExitCode, long RestartCount, string StartedAt);

internal sealed record ContainerSummary(string Id, string Name, IReadOnlyDictionary<string, string> Labels, bool Running);

internal sealed record VolumeSummary(string Name, IReadOnlyDictionary<string, string> Labels, string CreatedAt);

internal sealed record ExecResult(long ExitCode, string Output);
