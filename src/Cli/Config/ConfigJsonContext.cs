using System.Text.Json.Serialization;

namespace Fleet.Cli.Config;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CliConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;
