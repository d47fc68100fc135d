using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Core.Proxy;

/// <summary>The admin API's and the route file's JSON (camelCase).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProxyRouteTable))]
[JsonSerializable(typeof(ProxyAdminError))]
[JsonSerializable(typeof(ProxyInFlight))]
public sealed partial class ProxyJsonContext : JsonSerializerContext;

/// <summary>The admin API's answer to a refused request: every problem, each a sentence.</summary>
public sealed record ProxyAdminError(IReadOnlyList<string> Errors);

/// <summary>Requests the proxy still forwards to one slot of a service.</summary>
public sealed record ProxyInFlight(string App, string Service, string Slot, int Requests);
