using System.Text.Json.Serialization;

namespace Fleet.Core.Trust;

internal sealed class TrustPolicyDocument
{
    public required long Version { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public required List<TrustedKeyDocument> Keys { get; init; }

    public required ThresholdRuleDocument Root { get; init; }

    public required SortedDictionary<string, ThresholdRuleDocument> Environments { get; init; }
}

internal sealed class TrustedKeyDocument
{
    [JsonPropertyName("keyid")]
    public required string KeyId { get; init; }

    public required string Name { get; init; }

    /// <summary>Base64 of the DER SubjectPublicKeyInfo.</summary>
    public required string PublicKey { get; init; }
}

internal sealed class ThresholdRuleDocument
{
    public required List<string> Keys { get; init; }

    public required int Threshold { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TrustPolicyDocument))]
internal sealed partial class TrustPolicyJsonContext : JsonSerializerContext;
