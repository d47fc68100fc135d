using System.Buffers.Binary;
using System.Text;

namespace Fleet.Agent.Acme.Dns01;

/// <summary>Big-endian DNS wire writer (RFC 1035 §4); names are written uncompressed and lowercase.</summary>
internal sealed class DnsWriter
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public DnsWriter UInt16(int value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, checked((ushort)value));
        _bytes.AddRange(b);
        return this;
    }

    public DnsWriter UInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        _bytes.AddRange(b);
        return this;
    }

    /// <summary>TSIG's 48-bit "time signed", seconds since the epoch.</summary>
    public DnsWriter UInt48(long value)
    {
        UInt16((int)((value >> 32) & 0xFFFF));
        return UInt32((uint)(value & 0xFFFFFFFF));
    }

    public DnsWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>A domain name in canonical form (lowercase, no compression), "." being the root.</summary>
    public DnsWriter Name(string name)
    {
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.ASCII.GetBytes(label.ToLowerInvariant());
            if (bytes.Length > 63)
            {
                throw new ArgumentException($"DNS label '{label}' is longer than 63 bytes.", nameof(name));
            }

            _bytes.Add((byte)bytes.Length);
            _bytes.AddRange(bytes);
        }

        _bytes.Add(0);
        return this;
    }

    /// <summary>One &lt;character-string&gt; (TXT RDATA piece): a length byte and up to 255 bytes.</summary>
    public DnsWriter CharacterString(string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length > 255)
        {
            throw new ArgumentException("A TXT string holds at most 255 bytes.", nameof(value));
        }

        _bytes.Add((byte)bytes.Length);
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];
}
