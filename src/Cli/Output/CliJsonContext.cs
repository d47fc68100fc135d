using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Cli.Agents;
using Fleet.Cli.Backups;
using Fleet.Cli.Certificates;
using Fleet.Cli.Config;
using Fleet.Cli.Events;
using Fleet.Cli.Keys;
using Fleet.Cli.Releases;
using Fleet.Cli.Rollouts;
using Fleet.Cli.Secrets;
using Fleet.Cli.Status;
using Fleet.Cli.Tokens;
using Fleet.Cli.Version;
using Fleet.Cli.Webhooks;

namespace Fleet.Cli.Output;

/// <summary>
/// Every json document fleetctl prints. The shapes are a contract for scripts (see json-output.md):
/// fields are only ever added, never renamed or removed; absent values are null, not missing.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AgentJson))]
[JsonSerializable(typeof(AgentListJson))]
[JsonSerializable(typeof(FleetStatusJson))]
[JsonSerializable(typeof(CreatedTokenJson))]
[JsonSerializable(typeof(ContextListJson))]
[JsonSerializable(typeof(VersionJson))]
[JsonSerializable(typeof(KeyJson))]
[JsonSerializable(typeof(KeyListJson))]
[JsonSerializable(typeof(ReleaseJson))]
[JsonSerializable(typeof(ReleaseListJson))]
[JsonSerializable(typeof(RolloutJson))]
[JsonSerializable(typeof(CertificateJson))]
[JsonSerializable(typeof(CertificateListJson))]
[JsonSerializable(typeof(BackupListJson))]
[JsonSerializable(typeof(BackupCommandJson))]
[JsonSerializable(typeof(SecretJson))]
[JsonSerializable(typeof(SecretListJson))]
[JsonSerializable(typeof(TokenJson))]
[JsonSerializable(typeof(TokenListJson))]
[JsonSerializable(typeof(EventListJson))]
[JsonSerializable(typeof(WebhookJson))]
[JsonSerializable(typeof(WebhookListJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Like <see cref="Default"/>, but writes '+', '&lt;' and non-ASCII text as themselves: the
    /// output goes to a terminal or a script, never into HTML.
    /// </summary>
    public static CliJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
