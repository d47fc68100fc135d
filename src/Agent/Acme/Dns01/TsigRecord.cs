namespace Fleet.Agent.Acme.Dns01;

/// <summary>The TSIG record of a DNS message, and where it starts.</summary>
internal sealed record TsigRecord(int Offset, string KeyName, string Algorithm, long TimeSigned, ushort Fudge,
    byte[] Mac, ushort OriginalId, ushort Error, byte[] Other)
{
    /// <summary>The last additional record if it is a TSIG; null when the message is unsigned.</summary>
    public static TsigRecord? Find(byte[] message)
    {
        var reader = new DnsReader(message);
        reader.Take(4);
        int questions = reader.UInt16(), answers = reader.UInt16(), authority = reader.UInt16(), additional = reader.UInt16();
        if (additional == 0)
        {
            return null;
        }

        for (var i = 0; i < questions; i++)
        {
            reader.Name();
            reader.Take(4);
        }

        for (var i = 0; i < answers + authority + additional - 1; i++)
        {
            reader.SkipRecord();
        }

        var offset = reader.Position;
        var keyName = reader.Name();
        var type = reader.UInt16();
        reader.Take(6);
        reader.UInt16();
        if (type != Tsig.Type)
        {
            return null;
        }

        var algorithm = reader.Name();
        var time = reader.UInt48();
        var fudge = reader.UInt16();
        var mac = reader.Take(reader.UInt16()).ToArray();
        var originalId = reader.UInt16();
        var error = reader.UInt16();
        var other = reader.Take(reader.UInt16()).ToArray();
        return new TsigRecord(offset, keyName, algorithm, time, fudge, mac, originalId, error, other);
    }
}
