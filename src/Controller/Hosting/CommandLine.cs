using System.Globalization;

namespace Fleet.Controller.Hosting;

/// <summary>
/// Turns <c>fleet-controller</c> options into configuration keys. ASP.NET's own command-line
/// provider cannot take bare flags (<c>--dev</c>) or repeated options, and would silently ignore
/// a misspelled option; this refuses it with a message instead.
/// </summary>
internal static class CommandLine
{
    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        ["data"] = nameof(ControllerOptions.Data),
        ["listen"] = nameof(ControllerOptions.Listen),
        ["connection-string"] = nameof(ControllerOptions.ConnectionString),
        ["heartbeat-interval"] = nameof(ControllerOptions.HeartbeatInterval),
        ["agent-cert-lifetime"] = nameof(ControllerOptions.AgentCertLifetime),
        ["metrics-listen"] = nameof(ControllerOptions.MetricsListen),
        ["advertise-name"] = nameof(ControllerOptions.AdvertiseName),
        ["max-rollout-wait"] = nameof(ControllerOptions.MaxRolloutWait),
    };

    private static readonly HashSet<string> Durations = ["heartbeat-interval", "agent-cert-lifetime", "max-rollout-wait"];

    public const string Usage =
        "usage: fleet-controller [--dev] [--data DIR] [--listen 127.0.0.1:PORT] [--connection-string CS] " +
        "[--heartbeat-interval 10s] [--agent-cert-lifetime 24h] [--metrics-listen 127.0.0.1:9470|off] [--advertise-name NAME ...] [--max-rollout-wait 168h]";

    /// <exception cref="ArgumentException">An unknown option or a malformed value; the message is for the operator.</exception>
    public static Dictionary<string, string?> Parse(IReadOnlyList<string> args)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var advertised = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{arg}'\n{Usage}");
            }

            var (name, value) = Split(arg[2..]);
            if (name == "dev")
            {
                result[Key(nameof(ControllerOptions.Dev))] = value ?? "true";
                continue;
            }

            if (!Options.TryGetValue(name, out var property))
            {
                throw new ArgumentException($"unknown option '--{name}'\n{Usage}");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"option '--{name}' needs a value\n{Usage}");
                }

                value = args[++i];
            }

            if (Durations.Contains(name))
            {
                value = ParseDuration(name, value).ToString("c", CultureInfo.InvariantCulture);
            }

            var key = name == "advertise-name" ? $"{Key(property)}:{advertised++}" : Key(property);
            result[key] = value;
        }

        return result;
    }

    /// <summary>Accepts <c>500ms</c>, <c>20s</c>, <c>5m</c>, <c>24h</c>, <c>7d</c> or a TimeSpan like <c>00:00:20</c>.</summary>
    public static TimeSpan ParseDuration(string name, string text)
    {
        var units = new (string Suffix, Func<double, TimeSpan> Make)[]
        {
            ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes),
            ("h", TimeSpan.FromHours), ("d", TimeSpan.FromDays),
        };
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                && number > 0)
            {
                return make(number);
            }
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        throw new ArgumentException($"option '--{name}' needs a positive duration like 10s, 5m or 24h, got '{text}'");
    }

    private static (string Name, string? Value) Split(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (text, null) : (text[..equals], text[(equals + 1)..]);
    }

    private static string Key(string property) => $"{ControllerOptions.Section}:{property}";
}
