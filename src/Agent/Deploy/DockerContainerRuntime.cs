using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Fleet.Agent.Registries;
using ImageReference = Fleet.Core.Releases.ImageReference;

namespace Fleet.Agent.Deploy;

/// <summary>
/// IContainerRuntime over Docker.DotNet, at DOCKER_HOST or the default unix socket. Pulls with the
/// credential the RegistryPullAuthorizer has for the image's registry (anonymously without one).
/// </summary>
internal sealed class DockerContainerRuntime : IContainerRuntime, IDisposable
{
    private readonly DockerClient _client;
    private readonly RegistryPullAuthorizer? _pulls;

    public DockerContainerRuntime(RegistryPullAuthorizer? pulls = null, string? dockerHost = null)
    {
        _pulls = pulls;
        var host = dockerHost ?? Environment.GetEnvironmentVariable("DOCKER_HOST");
        var endpoint = new Uri(string.IsNullOrEmpty(host) ? "unix:///var/run/docker.sock" : host);
        using var configuration = new DockerClientConfiguration(endpoint);
        _client = configuration.CreateClient();
    }

    public void Dispose() => _client.Dispose();

    public async Task PullAsync(ImageReference image, IProgress<PullProgress> progress, CancellationToken cancellationToken)
    {
        var tracker = new PullTracker(progress);
        var parameters = new ImagesCreateParameters { FromImage = image.Name, Tag = image.Digest };
        var credential = _pulls is null ? null : await _pulls.CredentialForAsync(image, cancellationToken);
        var auth = credential is null ? null : new AuthConfig { Username = credential.Username, Password = credential.Password };
        string? error;
        try
        {
            await _client.Images.CreateImageAsync(parameters, auth, tracker, cancellationToken);
            error = tracker.Error;
        }
        catch (DockerApiException ex)
        {
            error = ex.ResponseBody is { Length: > 0 } body ? body.Trim() : ex.Message;
        }

        if (error is not null)
        {
            throw new InvalidOperationException(
                _pulls is null ? $"pull of {image.Pinned} failed: {error}" : await _pulls.ExplainFailureAsync(image, error, cancellationToken));
        }
    }

    public async Task<IReadOnlyList<string>> GetRepoDigestsAsync(string image, CancellationToken cancellationToken)
    {
        try
        {
            var inspected = await _client.Images.InspectImageAsync(image, cancellationToken);
            return inspected.RepoDigests?.ToList() ?? [];
        }
        catch (DockerImageNotFoundException)
        {
            return [];
        }
    }

    public async Task<string> GetDataRootAsync(CancellationToken cancellationToken) =>
        (await _client.System.GetSystemInfoAsync(cancellationToken)).DockerRootDir;

    public async Task<string> CreateAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var bridge = spec.Network != ServiceSpec.HostNetwork;
        var parameters = new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Labels = spec.Labels.ToDictionary(),
            Env = spec.Env.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            Cmd = spec.Command?.ToList(),
            ExposedPorts = bridge ? spec.PublishedPorts.ToDictionary(Key, _ => new EmptyStruct()) : null,
            HostConfig = new HostConfig
            {
                NetworkMode = spec.Network,
                RestartPolicy = new Docker.DotNet.Models.RestartPolicy
                {
                    Name = spec.Restart.Kind switch
                    {
                        RestartKind.OnFailure => RestartPolicyKind.OnFailure,
                        RestartKind.Always => RestartPolicyKind.Always,
                        RestartKind.UnlessStopped => RestartPolicyKind.UnlessStopped,
                        _ => RestartPolicyKind.No,
                    },
                    MaximumRetryCount = spec.Restart.MaxRetries,
                },
                Memory = spec.Resources?.MemoryBytes ?? 0,
                NanoCPUs = spec.Resources?.Cpus is { } cpus ? (long)(cpus * 1_000_000_000m) : 0,
                Binds = spec.Mounts?.Where(m => m.Kind != MountKind.Tmpfs).Select(m => m.ReadOnly ? $"{m.Source}:{m.Target}:ro" : $"{m.Source}:{m.Target}").ToList(),
                Tmpfs = spec.Mounts?.Where(m => m.Kind == MountKind.Tmpfs).ToDictionary(m => m.Target, m => m.Options ?? ""),
                PortBindings = bridge
                    ? spec.PublishedPorts.ToDictionary(
                        Key,
                        p => (IList<PortBinding>)[new PortBinding { HostIP = "127.0.0.1", HostPort = p.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }])
                    : null,
            },
        };
        return (await _client.Containers.CreateContainerAsync(parameters, cancellationToken)).ID;

        static string Key(PortSpec p) => FormattableString.Invariant($"{p.ContainerPort}/{p.Protocol}");
    }

    public async Task EnsureVolumeAsync(string name, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        // Creating an existing volume is a no-op in Docker that keeps its data (and its first labels).
        await _client.Volumes.CreateAsync(new VolumesCreateParameters { Name = name, Labels = labels.ToDictionary() }, cancellationToken);
    }

    public async Task<IReadOnlyList<VolumeSummary>> ListVolumesAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var filter = labels.ToDictionary(kv => $"{kv.Key}={kv.Value}", _ => true);
        var parameters = new VolumesListParameters { Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = filter } };
        var listed = await _client.Volumes.ListAsync(parameters, cancellationToken);
        return [.. (listed.Volumes ?? []).Select(v => new VolumeSummary(v.Name, (v.Labels ?? new Dictionary<string, string>()).AsReadOnly(), v.CreatedAt))];
    }

    public Task StartAsync(string id, CancellationToken cancellationToken) =>
        _client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken);

    public async Task StopAsync(string id, TimeSpan grace, CancellationToken cancellationToken)
    {
        var seconds = (uint)Math.Ceiling(grace.TotalSeconds);
        if (seconds > 0)
        {
            await _client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, cancellationToken);
            return;
        }

        // Docker.DotNet leaves a zero "t" out of the query, and Docker then waits its default 10 s:
        // no grace means SIGKILL now, then the same wait for the exit as a stop.
        try
        {
            await _client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, cancellationToken);
        }
        catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Not running: already stopped, as a stop of a stopped container is.
            return;
        }

        await _client.Containers.WaitContainerAsync(id, cancellationToken);
    }

    public Task RestartAsync(string id, TimeSpan grace, CancellationToken cancellationToken) =>
        _client.Containers.RestartContainerAsync(
            id, new ContainerRestartParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(grace.TotalSeconds) }, cancellationToken);

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            // Already gone: removal is idempotent.
        }
    }

    public async Task<ContainerStatus?> InspectAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var c = await _client.Containers.InspectContainerAsync(id, cancellationToken);
            return new ContainerStatus(c.ID, c.State.Running, c.State.Restarting, c.State.ExitCode, c.RestartCount, c.State.StartedAt);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ContainerSummary>> ListAsync(
        IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var filter = labels.ToDictionary(kv => $"{kv.Key}={kv.Value}", _ => true);
        var parameters = new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = filter },
        };
        var list = await _client.Containers.ListContainersAsync(parameters, cancellationToken);
        return list
            .Select(c => new ContainerSummary(
                c.ID, c.Names.FirstOrDefault()?.TrimStart('/') ?? c.ID, c.Labels.AsReadOnly(), c.State == "running"))
            .ToList();
    }

    public async Task<long> WaitAsync(string id, CancellationToken cancellationToken) =>
        (await _client.Containers.WaitContainerAsync(id, cancellationToken)).StatusCode;

    public async Task<string> LogTailAsync(string id, int lines, CancellationToken cancellationToken)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Tail = lines.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using var stream = await _client.Containers.GetContainerLogsAsync(id, false, parameters, cancellationToken);
        return await ReadAllAsync(stream, cancellationToken);
    }

    public async Task<ExecResult> ExecAsync(string id, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var created = await _client.Exec.ExecCreateContainerAsync(
            id,
            new ContainerExecCreateParameters { Cmd = command.ToList(), AttachStdout = true, AttachStderr = true },
            cancellationToken);
        using var stream = await _client.Exec.StartAndAttachContainerExecAsync(created.ID, false, cancellationToken);
        var output = await ReadAllAsync(stream, cancellationToken);
        var inspected = await _client.Exec.InspectContainerExecAsync(created.ID, cancellationToken);
        return new ExecResult(inspected.ExitCode, output);
    }

    // Reads stdout and stderr interleaved in arrival order, as `docker logs` shows them.
    private static async Task<string> ReadAllAsync(MultiplexedStream stream, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                return text.ToString();
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
        }
    }

    // Docker reports per-layer progress; the sum over layers is what an operator wants to see.
    private sealed class PullTracker(IProgress<PullProgress> progress) : IProgress<JSONMessage>
    {
        private readonly Dictionary<string, (long Done, long Total)> _layers = [];

        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (value.Error is { } error || !string.IsNullOrEmpty(value.ErrorMessage))
            {
                Error = value.Error?.Message ?? value.ErrorMessage;
                return;
            }

            if (value.Progress is not { } p || string.IsNullOrEmpty(value.ID) || value.Status != "Downloading")
            {
                return;
            }

            _layers[value.ID] = (p.Current, p.Total);
            progress.Report(new PullProgress(_layers.Values.Sum(l => l.Done), _layers.Values.Sum(l => l.Total)));
        }
    }
}
