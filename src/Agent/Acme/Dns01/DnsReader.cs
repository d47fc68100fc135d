using System.Buffers.Binary;

namespace Fleet.Agent.Acme.Dns01;

/// <summary>Just enough of a DNS reader to walk a response's sections and read its TSIG record.</summary>
internal ref struct DnsReader(ReadOnlySpan<byte> message)
{
    private readonly ReadOnlySpan<byte> _message = message;

    public int Position { get; set; }

    public ushort UInt16()
    {
        var value = BinaryPrimitives.ReadUInt16BigEndian(Take(2));
        return value;
    }

    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long UInt48() => ((long)UInt16() << 32) | UInt32();

    public ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || Position + count > _message.Length)
        {
            throw new DnsUpdateException("The DNS response is truncated or malformed.");
        }

        var span = _message.Slice(Position, count);
        Position += count;
        return span;
    }

    /// <summary>Reads a name (following compression pointers) as lowercase dotted text without the final dot.</summary>
    public string Name()
    {
        var labels = new List<string>();
        var position = Position;
        var jumped = false;
        for (var hops = 0; hops < 64; hops++)
        {
            if (position >= _message.Length)
            {
                break;
            }

            var length = _message[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= _message.Length)
                {
                    break;
                }

                if (!jumped)
                {
                    Position = position + 2;
                }

                jumped = true;
                position = ((length & 0x3F) << 8) | _message[position + 1];
                continue;
            }

            if (length == 0)
            {
                if (!jumped)
                {
                    Position = position + 1;
                }

                return string.Join('.', labels).ToLowerInvariant();
            }

            if (position + 1 + length > _message.Length)
            {
                break;
            }

            labels.Add(System.Text.Encoding.ASCII.GetString(_message.Slice(position + 1, length)));
            position += 1 + length;
        }

        throw new DnsUpdateException("The DNS response holds a malformed name.");
    }

    /// <summary>Skips one resource record (name, type, class, TTL, RDATA).</summary>
    public void SkipRecord()
    {
        Name();
        Take(8);
        Take(UInt16());
    }
}
