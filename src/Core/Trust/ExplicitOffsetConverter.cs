using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Core.Trust;

/// <summary>
/// Timestamps of signed documents must say their zone (<c>Z</c> or <c>+hh:mm</c>): System.Text.Json
/// reads one without a zone in the local zone of whoever parses it, so the same signed expiry would
/// mean a different instant on every verifier. Writes exactly what the default converter writes, so
/// canonical bytes (and the signatures over them) do not change.
/// </summary>
internal sealed class ExplicitOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : "";
        if (!HasExplicitOffset(text) || !reader.TryGetDateTimeOffset(out var value))
        {
            throw new JsonException($"'{text}' is not an ISO 8601 timestamp with an explicit offset (Z or +hh:mm)");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    private static bool HasExplicitOffset(string text)
    {
        var time = text.IndexOf('T', StringComparison.Ordinal);
        if (time < 0)
        {
            return false;
        }

        if (text.EndsWith('Z'))
        {
            return true;
        }

        // +hh:mm or -hh:mm after the time of day (the date's own '-' come before the 'T').
        var sign = text.Length - 6;
        return sign > time && text[sign] is '+' or '-' && text[sign + 3] == ':';
    }
}
