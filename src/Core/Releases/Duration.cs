using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Fleet.Core.Releases;

/// <summary>Durations written as in Go and Nomad: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h30m</c>.</summary>
public static partial class Duration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = Pattern().Match(text ?? "");
        if (!match.Success || text!.Length == 0)
        {
            return false;
        }

        foreach (Capture capture in match.Groups["part"].Captures)
        {
            var unitStart = capture.Value.IndexOfAny(['h', 'm', 's']);
            var number = long.Parse(capture.Value[..unitStart], CultureInfo.InvariantCulture);
            value += capture.Value[unitStart..] switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                _ => TimeSpan.FromMilliseconds(number),
            };
        }

        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        Append(text, (long)value.TotalHours, "h");
        Append(text, value.Minutes, "m");
        Append(text, value.Seconds, "s");
        Append(text, value.Milliseconds, "ms");
        return text.ToString();
    }

    private static void Append(StringBuilder text, long amount, string unit)
    {
        if (amount != 0)
        {
            text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }
    }

    [GeneratedRegex(@"^(?<part>[0-9]{1,6}(?:h|ms|m|s))+\z")]
    private static partial Regex Pattern();
}
