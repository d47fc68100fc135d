using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Secrets;

internal sealed class SecretsOptions
{
    public const string Section = "Secrets";

    /// <summary>
    /// Host folder for the secret files containers mount at /run/secrets: ROOT/APP/RELEASE/SERVICE/NAME.
    /// Default /run/fleet-agent/secrets (/run is a tmpfs under systemd, so values never reach a disk).
    /// Must be an absolute path.
    /// </summary>
    [Required]
    [RegularExpression("^/.*", ErrorMessage = "Secrets:Root must be an absolute path")]
    public string Root { get; set; } = "/run/fleet-agent/secrets";
}

[OptionsValidator]
internal sealed partial class SecretsOptionsValidator : IValidateOptions<SecretsOptions>;
