using System.Text.Json.Serialization;

namespace Fleet.Core.Releases;

/// <summary>
/// Enum values of a manifest are written and read by name only: the default converter also reads
/// numbers, in range or not (<c>"type": 7</c>), which no validator expects to see.
/// </summary>
internal sealed class NamedEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
