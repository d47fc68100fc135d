namespace Fleet.Agent.Deploy;

// The swap engine's own input, kept small and flat so that a verified release manifest maps onto
// it one field at a time. The records of this model live together in this file for that reason.

/// <summary>What one release asks this host to run for one app.</summary>
internal sealed record DeployRequest(string App, long Release, IReadOnlyList<ServiceSpec> Services);

/// <summary>One service of an app. <see cref="Image"/> is pinned by digest: repo@sha256:hex.</summary>
internal sealed record ServiceSpec(
    string Name,
    string Image,
    HealthCheckSpec Health,
    IReadOnlyList<string>? Command = null,
    IReadOnlyDictionary<string, string>? Env = null,
    UpdateOrder Order = UpdateOrder.StartFirst,
    IReadOnlyList<HookSpec>? PreDeployHooks = null,
    string Network = ServiceSpec.HostNetwork,
    int ContainerPort = 0,
    IReadOnlyList<PortSpec>? PublishedPorts = null,
    IReadOnlyList<MountSpec>? Mounts = null,
    IReadOnlyList<string>? Capabilities = null,
    RestartPolicy? Restart = null,
    ResourceLimits? Resources = null)
{
    public const string HostNetwork = "host";

    public bool UsesHostNetwork => Network == HostNetwork;
}

internal enum UpdateOrder
{
    StartFirst,
    StopFirst,
}

internal enum HealthCheckKind
{
    Http,
    Tcp,
    Command,
}

/// <summary>
/// Docker-like health check: a probe every <see cref="Interval"/>, each bounded by <see cref="Timeout"/>;
/// <see cref="Retries"/> consecutive failures after <see cref="StartPeriod"/> make the container unhealthy.
/// </summary>
internal sealed record HealthCheckSpec(
    HealthCheckKind Kind,
    string Path = "/health",
    IReadOnlyList<string>? Command = null,
    TimeSpan? Interval = null,
    TimeSpan? Timeout = null,
    int Retries = 3,
    TimeSpan? StartPeriod = null)
{
    public TimeSpan EffectiveInterval => Interval ?? TimeSpan.FromSeconds(2);

    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromSeconds(2);

    public TimeSpan EffectiveStartPeriod => StartPeriod ?? TimeSpan.Zero;
}

/// <summary>A one-off container of the service image run before the new version starts (e.g. migrations).</summary>
internal sealed record HookSpec(string Name, IReadOnlyList<string> Command, TimeSpan Timeout);

/// <summary>A port published on 127.0.0.1 (bridge networks only; host networking publishes nothing).</summary>
internal sealed record PortSpec(int ContainerPort, int HostPort, string Protocol = "tcp");
