using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Cli.Tests.Support;

internal static class Samples
{
    public const ulong GiB = 1024UL * 1024 * 1024;

    public static AgentSummary ConnectedAgent(string name = "web-1") => new()
    {
        AgentId = "6f1c2d3e-0000-4000-8000-000000000001",
        Name = name,
        Labels = { ["role"] = "web", ["env"] = "staging" },
        State = AgentState.Connected,
        LastSeen = Timestamp.FromDateTimeOffset(CliHarness.Now.AddSeconds(-3)),
        EnrolledAt = Timestamp.FromDateTimeOffset(CliHarness.Now.AddDays(-2)),
        CertificateNotAfter = Timestamp.FromDateTimeOffset(CliHarness.Now.AddHours(20)),
        Status = new StatusSnapshot
        {
            TakenAt = Timestamp.FromDateTimeOffset(CliHarness.Now.AddSeconds(-3)),
            CpuPercent = 12.34,
            MemoryTotalBytes = 8 * GiB,
            MemoryAvailableBytes = 6 * GiB,
            DiskTotalBytes = 100 * GiB,
            DiskFreeBytes = 45 * GiB + (GiB / 2),
            DockerReachable = true,
            DockerVersion = "20.10.24",
            AgentVersion = "0.1.0",
            UptimeSeconds = 3600 + 120,
            Hostname = name + ".example.internal",
        },
        Releases = { new AppliedRelease { App = "shop", Environment = "staging", Sequence = 4 } },
    };

    /// <summary>Enrolled, never connected: no last-seen time and no status.</summary>
    public static AgentSummary PendingAgent(string name = "db-1") => new()
    {
        AgentId = "6f1c2d3e-0000-4000-8000-000000000002",
        Name = name,
        State = AgentState.Pending,
        EnrolledAt = Timestamp.FromDateTimeOffset(CliHarness.Now.AddMinutes(-5)),
    };
}
