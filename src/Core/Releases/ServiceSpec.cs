namespace Fleet.Core.Releases;

/// <summary>One long-running service of a release.</summary>
public sealed partial record ServiceSpec
{
    public required string Name { get; init; }

    /// <summary>Image reference; in a manifest an agent applies, pinned as <c>name@sha256:…</c>.</summary>
    public required string Image { get; init; }

    /// <summary>Overrides the image's command when not empty (exec form, no shell).</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    public IReadOnlyList<VolumeMount> Volumes { get; init; } = [];

    /// <summary>In-memory file systems (fleet.yaml <c>tmpfs:</c>); null when none, which keeps older manifests' JSON unchanged.</summary>
    public IReadOnlyList<TmpfsMount>? Tmpfs { get; init; }

    /// <summary>Named permissions the service needs beyond the defaults, e.g. <c>docker-socket</c>; null when none.</summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>Readiness: gates the switch. Null: healthy once running for <see cref="HealthCheckSpec.DefaultRunningStartPeriod"/>.</summary>
    public HealthCheckSpec? Health { get; init; }

    /// <summary>Probed after min_healthy_time for as long as the container runs; a failing container is restarted. Null when none.</summary>
    public HealthCheckSpec? Liveness { get; init; }

    /// <summary>Memory and CPU limits; null when none.</summary>
    public ResourcesSpec? Resources { get; init; }

    /// <summary>Docker's restart policy; null means unless-stopped.</summary>
    public RestartSpec? Restart { get; init; }

    public UpdateOrder UpdateOrder { get; init; } = UpdateOrder.StartFirst;

    /// <summary>How the service is reached through fleet-proxy; null: not through the proxy.</summary>
    public ProxySpec? Proxy { get; init; }
}

/// <summary>A published port. <see cref="HostPort"/> null means the container port is not published.</summary>
public sealed record PortMapping
{
    public string? HostIp { get; init; }

    public int? HostPort { get; init; }

    public required int ContainerPort { get; init; }

    public PortProtocol Protocol { get; init; } = PortProtocol.Tcp;
}

/// <summary>A bind mount (absolute <see cref="Source"/>) or a named volume.</summary>
public sealed record VolumeMount
{
    public required string Source { get; init; }

    public required string Target { get; init; }

    public bool ReadOnly { get; init; }
}

public sealed record HealthCheckSpec
{
    /// <summary>The start period of a <c>running</c> check that names none, and of a service without <c>health</c>.</summary>
    public static readonly TimeSpan DefaultRunningStartPeriod = TimeSpan.FromSeconds(5);

    public required HealthCheckType Type { get; init; }

    /// <summary>HTTP only: the path probed; healthy on a 2xx or 3xx answer.</summary>
    public string? Path { get; init; }

    /// <summary>HTTP and TCP: the container port probed.</summary>
    public int? Port { get; init; }

    /// <summary>Command only: run inside the container; healthy on exit code 0.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failures after the start period before the container is unhealthy.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>Failures during this time after start do not count.</summary>
    public TimeSpan StartPeriod { get; init; } = TimeSpan.Zero;
}
