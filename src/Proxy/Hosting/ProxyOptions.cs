using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace Fleet.Proxy.Hosting;

/// <summary>fleet-proxy's settings (section "Proxy"; /etc/default/fleet-proxy sets them as Proxy__NAME).</summary>
internal sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Proxy";
    public const string Off = "off";

    /// <summary>Folder of the route table (routes.json). Required.</summary>
    [Required]
    public string StateDirectory { get; set; } = "";

    /// <summary>
    /// The admin API's Unix socket (0600), used when systemd passes no socket named "admin".
    /// Default /run/fleet-proxy/admin.sock.
    /// </summary>
    [Required]
    public string AdminSocket { get; set; } = "/run/fleet-proxy/admin.sock";

    /// <summary>Public HTTP listener IP:PORT, or "off"; ignored when systemd passes sockets named "http". Default 0.0.0.0:80.</summary>
    public string Http { get; set; } = "0.0.0.0:80";

    /// <summary>Prometheus scrape listener IP:PORT (GET /metrics), or "off". Default 127.0.0.1:9480.</summary>
    public string Metrics { get; set; } = "127.0.0.1:9480";

    /// <summary>Time requests in flight get to finish when the proxy stops. Default 30 s; 0–10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time to open a connection to a slot before the request fails with 502. Default 5 s; 0.1 s–1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan UpstreamConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public string RoutesPath => Path.Combine(StateDirectory, "routes.json");

    /// <summary>The endpoint of an IP:PORT setting, or null when it is "off".</summary>
    public static IPEndPoint? Endpoint(string value) =>
        value == Off ? null : IPEndPoint.Parse(value);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(Http), Http), (nameof(Metrics), Metrics) })
        {
            if (value != Off && (!IPEndPoint.TryParse(value, out var endpoint) || endpoint.Port == 0 || !value.Contains(':', StringComparison.Ordinal)))
            {
                yield return new ValidationResult($"Proxy:{name} must be IP:PORT (e.g. 0.0.0.0:80) or 'off', not '{value}'.", [name]);
            }
        }
    }
}

[OptionsValidator]
internal sealed partial class ProxyOptionsValidator : IValidateOptions<ProxyOptions>;
