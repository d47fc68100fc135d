using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Cli.Output;

/// <summary>How times, sizes and percentages read in tables (json keeps exact values).</summary>
internal static class Humanize
{
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>"3s ago", "5m ago", "2h ago", "4d ago"; "in 1h" for the future; "never" when unset.</summary>
    public static string Relative(Timestamp? time, DateTimeOffset now)
    {
        if (time is null)
        {
            return "never";
        }

        var delta = now - time.ToDateTimeOffset();
        var past = delta >= TimeSpan.Zero;
        var span = past ? delta : -delta;
        var text = span switch
        {
            { TotalSeconds: < 60 } => $"{(long)span.TotalSeconds}s",
            { TotalMinutes: < 60 } => $"{(long)span.TotalMinutes}m",
            { TotalHours: < 48 } => $"{(long)span.TotalHours}h",
            _ => $"{(long)span.TotalDays}d",
        };
        return past ? text + " ago" : "in " + text;
    }

    /// <summary>ISO-8601 in UTC to the second, e.g. 2025-03-01T12:00:00Z; null when unset.</summary>
    public static string? Iso(Timestamp? time) =>
        time?.ToDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Binary units with one decimal: "512 B", "1.5 GiB".</summary>
    public static string Bytes(ulong bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < ByteUnits.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {ByteUnits[unit]}");
    }

    public static string Percent(double value) =>
        string.Create(CultureInfo.InvariantCulture, $"{value:0.0}%");

    /// <summary>"env=prod,role=web", keys in order; "-" when there are none.</summary>
    public static string Labels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var text = string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
        return text.Length == 0 ? "-" : text;
    }
}
