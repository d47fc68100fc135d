using System.Buffers.Binary;
using System.Text;

namespace Fleet.Core.Secrets;

/// <summary>
/// Where a secret value belongs: app, environment, name and version. A sealed copy is bound to it
/// as AES-GCM associated data, so a copy moved to another app, environment, name or version does
/// not open.
/// </summary>
public sealed record SecretContext(string App, string Environment, string Name, string Version)
{
    private static readonly byte[] Label = "fleet.sealed-secret.v1"u8.ToArray();

    public byte[] AssociatedData() => LengthPrefixed(Label, App, Environment, Name, Version);

    /// <summary>Each field as a 4-byte big-endian length and its UTF-8 bytes, so no two field lists encode alike.</summary>
    internal static byte[] LengthPrefixed(ReadOnlySpan<byte> label, params string[] fields)
    {
        using var buffer = new MemoryStream();
        buffer.Write(label);
        Span<byte> length = stackalloc byte[4];
        foreach (var field in fields)
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }

        return buffer.ToArray();
    }
}
