using System.Text.Json.Serialization;

namespace Fleet.Controller.Hosting;

/// <summary>How to reach this controller; written to DATA/endpoint.json when it is ready.</summary>
internal sealed record ControllerEndpoint(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("caPin")] string CaPin,
    [property: JsonPropertyName("adminTokenPath")] string AdminTokenPath,
    [property: JsonPropertyName("pid")] int Pid);

[JsonSerializable(typeof(ControllerEndpoint))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class ControllerEndpointJson : JsonSerializerContext;
