using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Fleet.Controller.Hosting;

/// <summary>Everything the command line sets; bound from the <c>Controller</c> section.</summary>
internal sealed class ControllerOptions
{
    public const string Section = "Controller";

    /// <summary>Folder holding the CA, server certificate, admin token and endpoint.json. Default /var/lib/fleet-controller.</summary>
    [Required]
    public string Data { get; set; } = "/var/lib/fleet-controller";

    /// <summary>HTTPS (HTTP/2) address for every gRPC service. Default 127.0.0.1:7443; port 0 picks a free port.</summary>
    [Required]
    public string Listen { get; set; } = "127.0.0.1:7443";

    /// <summary>Start a private PostgreSQL cluster under DATA/postgres when no connection string is given.</summary>
    public bool Dev { get; set; }

    /// <summary>Npgsql connection string; also FLEET_CONTROLLER_CONNECTION_STRING.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How often agents send heartbeats. Default 10 s; 1 s–10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Lifetime of agent client certificates. Default 24 h; 10 s–90 days.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "90.00:00:00")]
    public TimeSpan AgentCertLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long after its release was submitted a rollout may wait for an approval or a promotion
    /// before it expires (and frees its app); the release's expires_at ends it earlier. Default 7 days; 1 s–90 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "90.00:00:00")]
    public TimeSpan MaxRolloutWait { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Plain-HTTP address of the Prometheus scrape endpoint, or "off". Default 127.0.0.1:9470.</summary>
    [Required]
    public string MetricsListen { get; set; } = "127.0.0.1:9470";

    /// <summary>Extra DNS names or IP addresses the server certificate must carry.</summary>
    public List<string> AdvertiseName { get; set; } = [];

    /// <summary>An agent is down after this many heartbeat intervals without one.</summary>
    public const int MissedHeartbeatsBeforeDown = 3;

    public TimeSpan DownAfter => HeartbeatInterval * MissedHeartbeatsBeforeDown;

    public bool MetricsEnabled => !string.Equals(MetricsListen, "off", StringComparison.OrdinalIgnoreCase);
}

[OptionsValidator]
internal sealed partial class ControllerOptionsValidator : IValidateOptions<ControllerOptions>;
