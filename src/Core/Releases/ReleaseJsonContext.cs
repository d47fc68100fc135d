using System.Text.Json.Serialization;
using Fleet.Core.Trust;

namespace Fleet.Core.Releases;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(ExplicitOffsetConverter)])]
[JsonSerializable(typeof(ReleaseManifest))]
internal sealed partial class ReleaseJsonContext : JsonSerializerContext;
