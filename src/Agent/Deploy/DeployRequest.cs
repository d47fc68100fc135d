namespace Fleet.Agent.Deploy;

// The swap engine's own input, kept small and flat so that a verified release manifest maps onto
// it one field at a time. The records of this model live together in this file for that reason.

/// <summary>What one release asks this host to run for one app.</summary>
internal sealed record DeployRequest(string App, long Release, IReadOnlyList<ServiceSpec> Services);

/// <summary>
/// One service of an app. <see cref="Image"/> is pinned by digest: repo@sha256:hex. <see cref="Liveness"/>
/// is probed from <see cref="LivenessDelay"/> after the swap began for as long as the container runs.
/// </summary>
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
    string? SecretsDir = null,
    IReadOnlyDictionary<string, string>? SecretEnv = null,
    string? EnvFile = null,
    ServiceProxy? Proxy = null,
    IReadOnlyList<MountSpec>? Mounts = null,
    IReadOnlyList<string>? Capabilities = null,
    RestartPolicy? Restart = null,
    ResourceLimits? Resources = null,
    HealthCheckSpec? Liveness = null,
    TimeSpan LivenessDelay = default)
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

    /// <summary>No probe: healthy once the container has run for the start period without exiting or restarting.</summary>
    Running,
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

/// <summary>
/// A one-off container run before the new version starts (e.g. migrations): with <see cref="Image"/>
/// null, the service's image; with <see cref="Env"/> null, the service's environment, otherwise exactly <see cref="Env"/>.
/// </summary>
internal sealed record HookSpec(
    string Name, IReadOnlyList<string> Command, TimeSpan Timeout, string? Image = null, IReadOnlyDictionary<string, string>? Env = null);

/// <summary>A port published on 127.0.0.1 (bridge networks only; host networking publishes nothing).</summary>
internal sealed record PortSpec(int ContainerPort, int HostPort, string Protocol = "tcp");
