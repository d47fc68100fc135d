using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Traffic;

/// <summary>Where fleet-proxy is (section "Proxy" of the agent's settings). Without it, swaps work as without a proxy.</summary>
internal sealed class TrafficOptions
{
    public const string Section = "Proxy";

    /// <summary>The proxy's admin Unix socket (e.g. /run/fleet-proxy/admin.sock). Empty (default): no proxy.</summary>
    public string AdminSocket { get; set; } = "";

    /// <summary>Ports no service may claim as its own listener (the host's SSH, the agent's metrics, ...). Default none.</summary>
    public IList<int> ReservedPorts { get; } = [];

    /// <summary>How often the old slot's requests in flight are counted while it drains. Default 100 ms; 10 ms–5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan DrainPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Time for one admin call. Default 10 s; 1 s–2 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00")]
    public TimeSpan AdminTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => AdminSocket.Length > 0;
}

[OptionsValidator]
internal sealed partial class TrafficOptionsValidator : IValidateOptions<TrafficOptions>;
