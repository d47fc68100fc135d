using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Fleet.Agent.Acme.Dns01;

/// <summary>TSIG (RFC 8945) signing of requests and verification of the signed response.</summary>
internal static class Tsig
{
    public const ushort Type = 250;
    public const ushort ClassAny = 255;
    public const ushort Fudge = 300;

    /// <summary>Appends a TSIG record to <paramref name="message"/> (ARCOUNT + 1); returns the signed message and its MAC.</summary>
    public static (byte[] Message, byte[] Mac) Sign(byte[] message, TsigKey key, long timeSigned)
    {
        var variables = Variables(key, timeSigned, error: 0);
        var mac = HMACSHA256.HashData(key.Secret, (byte[])[.. message, .. variables]);
        var originalId = BinaryPrimitives.ReadUInt16BigEndian(message);

        var rdata = new DnsWriter().Name(TsigKey.Algorithm).UInt48(timeSigned).UInt16(Fudge)
            .UInt16(mac.Length).Bytes(mac).UInt16(originalId).UInt16(0).UInt16(0).ToArray();
        var record = new DnsWriter().Name(key.Name).UInt16(Type).UInt16(ClassAny).UInt32(0)
            .UInt16(rdata.Length).Bytes(rdata).ToArray();

        byte[] signed = [.. message, .. record];
        BinaryPrimitives.WriteUInt16BigEndian(signed.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(signed.AsSpan(10)) + 1));
        return (signed, mac);
    }

    /// <summary>
    /// Checks the response's TSIG: present, last in the additional section, no TSIG error, the MAC
    /// over (request MAC, response without TSIG, variables) right, and the time within the fudge.
    /// </summary>
    public static void Verify(byte[] response, byte[] requestMac, TsigKey key, long now)
    {
        var record = TsigRecord.Find(response)
            ?? throw new DnsUpdateException($"The DNS server's answer is not signed with TSIG key '{key.Name}'.");
        if (record.Error != 0)
        {
            throw new DnsUpdateException(
                $"The DNS server refused TSIG key '{key.Name}': {DnsRcode.Name(record.Error)} (is the key name or secret wrong?).");
        }

        if (!string.Equals(record.KeyName, key.Name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)
            || !string.Equals(record.Algorithm, TsigKey.Algorithm, StringComparison.OrdinalIgnoreCase))
        {
            throw new DnsUpdateException($"The DNS server signed its answer with key '{record.KeyName}' ({record.Algorithm}), not '{key.Name}'.");
        }

        var unsigned = response[..record.Offset];
        BinaryPrimitives.WriteUInt16BigEndian(unsigned, record.OriginalId);
        BinaryPrimitives.WriteUInt16BigEndian(unsigned.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(unsigned.AsSpan(10)) - 1));
        var prefix = new DnsWriter().UInt16(requestMac.Length).Bytes(requestMac).ToArray();
        var expected = HMACSHA256.HashData(key.Secret, (byte[])[.. prefix, .. unsigned, .. Variables(key, record.TimeSigned, record.Error, record.Other)]);
        if (!CryptographicOperations.FixedTimeEquals(expected, record.Mac))
        {
            throw new DnsUpdateException($"The DNS server's answer carries a wrong TSIG signature for key '{key.Name}'.");
        }

        if (Math.Abs(now - record.TimeSigned) > record.Fudge)
        {
            throw new DnsUpdateException($"The DNS server's TSIG time is {now - record.TimeSigned} s off this host's clock (fudge {record.Fudge} s).");
        }
    }

    private static byte[] Variables(TsigKey key, long timeSigned, ushort error, byte[]? other = null) =>
        new DnsWriter().Name(key.Name).UInt16(ClassAny).UInt32(0).Name(TsigKey.Algorithm)
            .UInt48(timeSigned).UInt16(Fudge).UInt16(error).UInt16(other?.Length ?? 0).Bytes(other ?? []).ToArray();
}
