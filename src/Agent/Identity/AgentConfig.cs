using System.Text.Json.Serialization;

namespace Fleet.Agent.Identity;

/// <summary>The agent.json file of the state directory.</summary>
internal sealed record AgentConfig(
    Uri ControllerUrl,
    IReadOnlyList<string> CaPins,
    string AgentId,
    string Name,
    IReadOnlyDictionary<string, string> Labels);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(AgentConfig))]
internal sealed partial class AgentConfigJsonContext : JsonSerializerContext;
