using System.Globalization;

namespace Fleet.Cli.Parsing;

/// <summary>
/// Durations typed by operators: a positive whole number with a unit, s, m, h or d, and
/// optionally several such parts in decreasing order ("1h30m").
/// </summary>
internal static class Duration
{
    private static readonly (char Unit, TimeSpan Size)[] Units =
    [
        ('d', TimeSpan.FromDays(1)),
        ('h', TimeSpan.FromHours(1)),
        ('m', TimeSpan.FromMinutes(1)),
        ('s', TimeSpan.FromSeconds(1)),
    ];

    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        var value = text?.Trim() ?? "";
        error = $"'{value}' is not a duration: use a whole number and a unit, like 30s, 15m, 1h or 7d";
        if (value.Length == 0)
        {
            return false;
        }

        var total = TimeSpan.Zero;
        var lastUnit = -1;
        var position = 0;
        while (position < value.Length)
        {
            var start = position;
            while (position < value.Length && char.IsAsciiDigit(value[position]))
            {
                position++;
            }

            if (position == start || position == value.Length)
            {
                return false;
            }

            var unit = Array.FindIndex(Units, u => u.Unit == value[position]);
            if (unit <= lastUnit)
            {
                return false;
            }

            if (!long.TryParse(value.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || count > (TimeSpan.MaxValue - total).Ticks / Units[unit].Size.Ticks)
            {
                error = $"'{value}' is too long a duration";
                return false;
            }

            total += Units[unit].Size * count;
            lastUnit = unit;
            position++;
        }

        if (total <= TimeSpan.Zero)
        {
            error = $"'{value}' must be longer than zero";
            return false;
        }

        duration = total;
        return true;
    }

    /// <summary>The shortest exact rendering, e.g. 1h30m; the inverse of <see cref="TryParse"/>.</summary>
    public static string Format(TimeSpan duration)
    {
        var parts = new List<string>();
        var rest = TimeSpan.FromSeconds(Math.Floor(duration.TotalSeconds));
        foreach (var (unit, size) in Units)
        {
            var count = rest.Ticks / size.Ticks;
            if (count > 0)
            {
                parts.Add(count.ToString(CultureInfo.InvariantCulture) + unit);
                rest -= size * count;
            }
        }

        return parts.Count == 0 ? "0s" : string.Concat(parts);
    }
}
