using System.Text.Json.Serialization;

namespace Fleet.Core.Releases;

/// <summary>How a service's containers are replaced.</summary>
[JsonConverter(typeof(NamedEnumConverter<UpdateOrder>))]
public enum UpdateOrder
{
    /// <summary>Start the new container, wait until healthy, then stop the old one (default; zero downtime).</summary>
    [JsonStringEnumMemberName("start-first")]
    StartFirst,

    /// <summary>Stop the old container first (for services that cannot run twice, e.g. holding a lock or port).</summary>
    [JsonStringEnumMemberName("stop-first")]
    StopFirst,
}

[JsonConverter(typeof(NamedEnumConverter<HealthCheckType>))]
public enum HealthCheckType
{
    [JsonStringEnumMemberName("http")]
    Http,

    [JsonStringEnumMemberName("tcp")]
    Tcp,

    [JsonStringEnumMemberName("command")]
    Command,

    /// <summary>No probe: healthy once the container has run for the start period without exiting.</summary>
    [JsonStringEnumMemberName("running")]
    Running,
}

[JsonConverter(typeof(NamedEnumConverter<PortProtocol>))]
public enum PortProtocol
{
    [JsonStringEnumMemberName("tcp")]
    Tcp,

    [JsonStringEnumMemberName("udp")]
    Udp,
}

/// <summary>Where a hook runs: on one host of the rollout, or on every host before its swap.</summary>
[JsonConverter(typeof(NamedEnumConverter<HookRun>))]
public enum HookRun
{
    [JsonStringEnumMemberName("once")]
    Once,

    [JsonStringEnumMemberName("each-host")]
    EachHost,
}

[JsonConverter(typeof(NamedEnumConverter<HookPhase>))]
public enum HookPhase
{
    [JsonStringEnumMemberName("pre-deploy")]
    PreDeploy,
}

[JsonConverter(typeof(NamedEnumConverter<RolloutStrategyType>))]
public enum RolloutStrategyType
{
    [JsonStringEnumMemberName("all")]
    All,

    [JsonStringEnumMemberName("rolling")]
    Rolling,

    [JsonStringEnumMemberName("canary")]
    Canary,
}
