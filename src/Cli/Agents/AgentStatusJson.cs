namespace Fleet.Cli.Agents;

/// <summary>An agent's last status snapshot in json output; sizes in bytes.</summary>
internal sealed record AgentStatusJson(
    string? TakenAt,
    double CpuPercent,
    ulong MemoryTotalBytes,
    ulong MemoryAvailableBytes,
    ulong DiskTotalBytes,
    ulong DiskFreeBytes,
    bool DockerReachable,
    string DockerVersion,
    string AgentVersion,
    long UptimeSeconds,
    string Hostname);
