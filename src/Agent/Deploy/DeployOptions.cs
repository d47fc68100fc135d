using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Deploy;

internal sealed class DeployOptions : IValidatableObject
{
    public const string Section = "Deploy";

    /// <summary>Journal file (JSON, 0600). Required; the host sets it inside the agent's state folder.</summary>
    [Required]
    public string JournalPath { get; set; } = "";

    /// <summary>
    /// The agent's state folder (keys, trust policy, journal): no release may mount it, whatever
    /// its signatures. Default /var/lib/fleet-agent; the host sets the folder it runs with.
    /// </summary>
    [Required]
    public string StateDirectory { get; set; } = Fleet.Core.Releases.MountRules.DefaultAgentStateFolder;

    /// <summary>First port handed to a slot (host network: PORT; bridge: published on 127.0.0.1). Default 20000.</summary>
    [Range(1024, 65535)]
    public int PortRangeStart { get; set; } = 20000;

    /// <summary>Last port handed to a slot, inclusive. Default 20999; at least PortRangeStart + 1.</summary>
    [Range(1025, 65535)]
    public int PortRangeEnd { get; set; } = 20999;

    /// <summary>Refuse a pull when Docker's disk has less free space than this. Default 2 GiB; 0 disables.</summary>
    [Range(0, long.MaxValue)]
    public long MinFreeDiskBytes { get; set; } = 2L << 30;

    /// <summary>Time the old container keeps running after traffic moved away. Default 5 s; 0–10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>SIGTERM-to-SIGKILL grace when stopping a container. Default 10 s; 0–10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Optional scope for agents that share one Docker engine (several agents on a development
    /// machine or in tests): prefixes container names and adds a fleet.scope label that this agent
    /// filters on, so agents never see or touch each other's containers. Empty (default): no scope.
    /// </summary>
    [RegularExpression(@"^\z|^[a-z0-9][a-z0-9-]{0,31}\z")]
    public string ContainerScope { get; set; } = "";

    /// <summary>Lines of container log attached to a failure report. Default 50; 1–1000.</summary>
    [Range(1, 1000)]
    public int LogTailLines { get; set; } = 50;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PortRangeEnd <= PortRangeStart)
        {
            yield return new ValidationResult(
                "Deploy:PortRangeEnd must be greater than Deploy:PortRangeStart (two slots need two ports).",
                [nameof(PortRangeEnd)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class DeployOptionsValidator : IValidateOptions<DeployOptions>;
