using System.Text.Json;

namespace Fleet.Core.Trust;

/// <summary>
/// A DSSE envelope: the exact payload bytes, their type, and signatures over
/// <see cref="Dsse.PreAuthenticationEncoding"/>. JSON form:
/// <c>{"payloadType":..., "payload": base64, "signatures":[{"keyid":..., "sig": base64 DER}]}</c>.
/// </summary>
public sealed record DsseEnvelope(string PayloadType, byte[] Payload, IReadOnlyList<DsseSignature> Signatures)
{
    /// <summary>Largest envelope accepted, in bytes of JSON (1 MiB).</summary>
    public const int MaxEnvelopeBytes = 1024 * 1024;

    /// <summary>Largest decoded payload accepted, in bytes (512 KiB).</summary>
    public const int MaxPayloadBytes = 512 * 1024;

    /// <summary>Most signatures accepted on one envelope; bounds verification work.</summary>
    public const int MaxSignatures = 16;

    /// <summary>Returns a copy with one more signature by <paramref name="key"/>.</summary>
    public DsseEnvelope AddSignature(OperatorKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = key.Sign(Dsse.PreAuthenticationEncoding(PayloadType, Payload));
        return this with { Signatures = [.. Signatures, new DsseSignature(key.KeyId, signature)] };
    }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(
        new DsseEnvelopeDocument
        {
            PayloadType = PayloadType,
            Payload = Convert.ToBase64String(Payload),
            Signatures = [.. Signatures.Select(s => new DsseSignatureDocument
            {
                KeyId = s.KeyId,
                Sig = Convert.ToBase64String(s.Signature),
            })],
        },
        DsseJsonContext.Default.DsseEnvelopeDocument);

    /// <summary>
    /// Parses an envelope without trusting anything in it. Refuses (with
    /// <see cref="DsseFormatException"/>) oversized envelopes and payloads, too many signatures,
    /// bad base64, and a payload type other than <paramref name="expectedPayloadType"/>.
    /// </summary>
    public static DsseEnvelope Parse(ReadOnlySpan<byte> json, string expectedPayloadType)
    {
        if (json.Length > MaxEnvelopeBytes)
        {
            throw new DsseFormatException($"envelope is {json.Length} bytes; the limit is {MaxEnvelopeBytes}") { TooLarge = true };
        }

        DsseEnvelopeDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, DsseJsonContext.Default.DsseEnvelopeDocument);
        }
        catch (JsonException ex)
        {
            throw new DsseFormatException($"envelope is not valid DSSE JSON: {ex.Message}", ex);
        }

        if (document is null)
        {
            throw new DsseFormatException("envelope is empty");
        }

        if (!string.Equals(document.PayloadType, expectedPayloadType, StringComparison.Ordinal))
        {
            throw new DsseFormatException($"payload type is '{document.PayloadType}'; expected '{expectedPayloadType}'");
        }

        if (document.Signatures.Count > MaxSignatures)
        {
            throw new DsseFormatException($"envelope has {document.Signatures.Count} signatures; the limit is {MaxSignatures}");
        }

        var payload = DecodeBase64(document.Payload, "payload");
        if (payload.Length > MaxPayloadBytes)
        {
            throw new DsseFormatException($"payload is {payload.Length} bytes; the limit is {MaxPayloadBytes}") { TooLarge = true };
        }

        var signatures = document.Signatures
            .Select((s, i) => new DsseSignature(s.KeyId ?? "", DecodeBase64(s.Sig, $"signatures[{i}].sig")))
            .ToList();
        return new DsseEnvelope(document.PayloadType, payload, signatures);
    }

    // DSSE allows standard or URL-safe base64; accept both, always write standard.
    private static byte[] DecodeBase64(string text, string field)
    {
        var normalised = text.Replace('-', '+').Replace('_', '/');
        normalised = normalised.PadRight(normalised.Length + ((4 - (normalised.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(normalised);
        }
        catch (FormatException ex)
        {
            throw new DsseFormatException($"{field} is not valid base64", ex);
        }
    }
}
