using System.Text.Json.Serialization;

namespace Fleet.Core.Releases;

/// <summary>Limits a service container runs under (fleet.yaml <c>resources:</c>); unset means no limit.</summary>
public sealed record ResourcesSpec
{
    /// <summary>Hard memory limit in bytes (fleet.yaml <c>memory: 512m</c>); the kernel kills the container above it.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>CPU time as a number of cores (fleet.yaml <c>cpus: 1.5</c>).</summary>
    public decimal? Cpus { get; init; }
}

/// <summary>What Docker does when a service container exits (fleet.yaml <c>restart:</c>).</summary>
public sealed record RestartSpec
{
    public RestartPolicyType Policy { get; init; } = RestartPolicyType.UnlessStopped;

    /// <summary><see cref="RestartPolicyType.OnFailure"/> only: restarts before Docker gives up; null for no limit.</summary>
    public int? MaxRetries { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<RestartPolicyType>))]
public enum RestartPolicyType
{
    [JsonStringEnumMemberName("no")]
    No,

    [JsonStringEnumMemberName("on-failure")]
    OnFailure,

    [JsonStringEnumMemberName("always")]
    Always,

    [JsonStringEnumMemberName("unless-stopped")]
    UnlessStopped,
}
