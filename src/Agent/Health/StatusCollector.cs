using Fleet.Agent.Hosting;
using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Agent.Health;

/// <summary>
/// Reads host CPU (busy share since the previous snapshot), memory, the disk holding the state
/// directory, Docker, uptime and hostname. A part that cannot be read is left at zero and
/// logged at debug level: a heartbeat must still go out.
/// </summary>
internal sealed partial class StatusCollector(
    string stateDir, IDockerProbe docker, TimeProvider time, ILogger<StatusCollector> logger) : IStatusSource
{
    private readonly Lock _gate = new();
    private CpuTimes? _previousCpu;

    public async Task<StatusSnapshot> CollectAsync(CancellationToken cancellationToken)
    {
        var snapshot = new StatusSnapshot
        {
            TakenAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            AgentVersion = AgentVersion.Current,
            Hostname = Environment.MachineName,
        };

        Read("cpu", () => snapshot.CpuPercent = SampleCpu(ProcParsers.ParseStat(File.ReadAllText("/proc/stat"))));
        Read("memory", () =>
        {
            var memory = ProcParsers.ParseMemInfo(File.ReadAllText("/proc/meminfo"));
            snapshot.MemoryTotalBytes = memory.TotalBytes;
            snapshot.MemoryAvailableBytes = memory.AvailableBytes;
        });
        Read("disk", () =>
        {
            var drive = new DriveInfo(stateDir);
            snapshot.DiskTotalBytes = (ulong)drive.TotalSize;
            snapshot.DiskFreeBytes = (ulong)drive.AvailableFreeSpace;
        });
        Read("uptime", () => snapshot.UptimeSeconds = (long)ProcParsers.ParseUptime(File.ReadAllText("/proc/uptime")).TotalSeconds);

        var dockerVersion = await docker.GetVersionAsync(cancellationToken);
        snapshot.DockerReachable = dockerVersion is not null;
        snapshot.DockerVersion = dockerVersion ?? "";
        return snapshot;
    }

    /// <summary>CPU % since the previous sample; the first sample has nothing to compare with.</summary>
    internal double SampleCpu(CpuTimes now)
    {
        lock (_gate)
        {
            var percent = _previousCpu is { } previous ? CpuTimes.BusyPercent(previous, now) : 0;
            _previousCpu = now;
            return percent;
        }
    }

    private void Read(string part, Action read)
    {
        try
        {
            read();
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException or ArgumentException or OverflowException)
        {
            Log.PartUnreadable(logger, part, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1300, LogLevel.Debug, "Status snapshot: cannot read {Part}")]
        public static partial void PartUnreadable(ILogger logger, string part, Exception exception);
    }
}
