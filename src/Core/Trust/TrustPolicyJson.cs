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

internal sealed record ThresholdRuleDocument
{
    public required List<string> Keys { get; init; }

    public required int Threshold { get; init; }

    /// <summary>Environments only: the longest validity of a release; absent means <see cref="TrustPolicy.DefaultMaxValidity"/>.</summary>
    public TimeSpan? MaxValidity { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(ExplicitOffsetConverter)])]
[JsonSerializable(typeof(TrustPolicyDocument))]
internal sealed partial class TrustPolicyJsonContext : JsonSerializerContext;
