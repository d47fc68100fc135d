using System.Text.Json.Serialization;

namespace Fleet.Core.Trust;

internal sealed class DsseEnvelopeDocument
{
    [JsonPropertyName("payloadType")]
    public required string PayloadType { get; init; }

    [JsonPropertyName("payload")]
    public required string Payload { get; init; }

    [JsonPropertyName("signatures")]
    public required List<DsseSignatureDocument> Signatures { get; init; }
}

internal sealed class DsseSignatureDocument
{
    [JsonPropertyName("keyid")]
    public string? KeyId { get; init; }

    [JsonPropertyName("sig")]
    public required string Sig { get; init; }
}

[JsonSourceGenerationOptions(
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DsseEnvelopeDocument))]
internal sealed partial class DsseJsonContext : JsonSerializerContext;
