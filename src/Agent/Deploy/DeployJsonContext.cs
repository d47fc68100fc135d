using System.Text.Json.Serialization;

namespace Fleet.Agent.Deploy;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeployJournalFile))]
internal sealed partial class DeployJsonContext : JsonSerializerContext;
