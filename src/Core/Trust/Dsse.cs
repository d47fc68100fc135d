using System.Globalization;
using System.Text;

namespace Fleet.Core.Trust;

/// <summary>
/// DSSE (Dead Simple Signing Envelope, in-toto/secure-systems-lab) primitives. Signatures are
/// ECDSA P-256 over SHA-256 of the pre-authentication encoding, encoded as ASN.1 DER
/// (<c>Rfc3279DerSequence</c>), the encoding sigstore and cosign use.
/// </summary>
public static class Dsse
{
    /// <summary>
    /// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths as ASCII
    /// decimal byte counts. Signing this, not the payload alone, binds the payload type.
    /// </summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture, $" {payload.Length} "));
        var result = new byte[header.Length + type.Length + middle.Length + payload.Length];
        header.CopyTo(result, 0);
        type.CopyTo(result, header.Length);
        middle.CopyTo(result, header.Length + type.Length);
        payload.CopyTo(result.AsSpan(header.Length + type.Length + middle.Length));
        return result;
    }

    /// <summary>Wraps <paramref name="payload"/> in a new envelope signed by every key given.</summary>
    public static DsseEnvelope Sign(string payloadType, ReadOnlyMemory<byte> payload, IEnumerable<OperatorKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var envelope = new DsseEnvelope(payloadType, payload.ToArray(), []);
        foreach (var key in keys)
        {
            envelope = envelope.AddSignature(key);
        }

        return envelope;
    }
}
