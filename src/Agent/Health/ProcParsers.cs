using System.Globalization;

namespace Fleet.Agent.Health;

/// <summary>Cumulative CPU time from the aggregate "cpu" line of /proc/stat, in clock ticks.</summary>
internal readonly record struct CpuTimes(ulong Total, ulong Idle)
{
    /// <summary>Busy share of the time between two samples, 0–100; 0 when no time passed.</summary>
    public static double BusyPercent(CpuTimes earlier, CpuTimes later)
    {
        if (later.Total <= earlier.Total)
        {
            return 0;
        }

        var total = (double)(later.Total - earlier.Total);
        var idle = later.Idle >= earlier.Idle ? later.Idle - earlier.Idle : 0;
        return Math.Clamp(100 * (1 - (idle / total)), 0, 100);
    }
}

internal readonly record struct MemoryInfo(ulong TotalBytes, ulong AvailableBytes);

/// <summary>Parsers for the /proc files the status snapshot reads; pure, so tests feed them text.</summary>
internal static class ProcParsers
{
    /// <summary>
    /// "cpu  user nice system idle iowait irq softirq steal guest guest_nice": idle time is
    /// idle + iowait; guest time is already counted in user and nice, so it is left out.
    /// </summary>
    public static CpuTimes ParseStat(string text)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal))
            ?? throw new FormatException("/proc/stat has no aggregate 'cpu' line");
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => ulong.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        if (fields.Length < 4)
        {
            throw new FormatException($"/proc/stat 'cpu' line has {fields.Length} fields, expected at least 4");
        }

        var counted = fields.Take(Math.Min(fields.Length, 8)).ToArray();
        var idle = counted[3] + (counted.Length > 4 ? counted[4] : 0);
        return new CpuTimes(counted.Aggregate(0UL, (sum, f) => sum + f), idle);
    }

    /// <summary>MemTotal and MemAvailable (kB in the file) as bytes.</summary>
    public static MemoryInfo ParseMemInfo(string text)
    {
        ulong? total = null;
        ulong? available = null;
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(':', 2);
            if (parts.Length != 2)
            {
                continue;
            }

            var value = parts[1].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (value.Length == 0 || !ulong.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                continue;
            }

            var bytes = value.Length > 1 && value[1] == "kB" ? number * 1024 : number;
            switch (parts[0].Trim())
            {
                case "MemTotal":
                    total = bytes;
                    break;
                case "MemAvailable":
                    available = bytes;
                    break;
            }
        }

        return new MemoryInfo(
            total ?? throw new FormatException("/proc/meminfo has no MemTotal"),
            available ?? throw new FormatException("/proc/meminfo has no MemAvailable"));
    }

    /// <summary>The first number of /proc/uptime: seconds since boot.</summary>
    public static TimeSpan ParseUptime(string text)
    {
        var first = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"/proc/uptime does not start with a number of seconds: '{text.Trim()}'");
    }
}
