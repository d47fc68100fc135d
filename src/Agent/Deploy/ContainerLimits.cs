namespace Fleet.Agent.Deploy;

internal enum RestartKind
{
    No,
    OnFailure,
    Always,
    UnlessStopped,
}

/// <summary>Docker's restart policy of a container; <see cref="MaxRetries"/> 0 means no limit (on-failure only).</summary>
internal sealed record RestartPolicy(RestartKind Kind, int MaxRetries = 0)
{
    /// <summary>A service's default: restarted by Docker after a crash or a host reboot, until the agent stops it.</summary>
    public static readonly RestartPolicy UnlessStopped = new(RestartKind.UnlessStopped);

    /// <summary>One-off containers (hooks).</summary>
    public static readonly RestartPolicy Never = new(RestartKind.No);
}

/// <summary>Memory (bytes) and CPU (cores) limits of a container; null means no limit.</summary>
internal sealed record ResourceLimits(long? MemoryBytes = null, decimal? Cpus = null);
