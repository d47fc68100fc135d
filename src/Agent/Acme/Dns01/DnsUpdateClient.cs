using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Fleet.Agent.Acme.Dns01;

/// <summary>
/// RFC 2136 dynamic updates of TXT records, signed with TSIG, sent over TCP to the zone's primary.
/// Only what DNS-01 needs: add one TXT value, delete one TXT value.
/// </summary>
internal sealed class DnsUpdateClient(IPEndPoint server, string zone, TsigKey key, TimeProvider time)
{
    private const int OpcodeUpdate = 5;
    private const ushort TypeSoa = 6;
    private const ushort TypeTxt = 16;
    private const ushort ClassIn = 1;
    private const ushort ClassNone = 254;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public Task AddTxtAsync(string name, string value, TimeSpan ttl, CancellationToken cancellationToken) =>
        SendAsync(BuildUpdate(NewId(), zone, name, value, add: true, (uint)ttl.TotalSeconds), $"add TXT {name}", cancellationToken);

    public Task DeleteTxtAsync(string name, string value, CancellationToken cancellationToken) =>
        SendAsync(BuildUpdate(NewId(), zone, name, value, add: false, ttl: 0), $"delete TXT {name}", cancellationToken);

    /// <summary>
    /// An UPDATE message (RFC 2136 §2): zone section (zone SOA IN), no prerequisites, one update:
    /// add (class IN) or delete this exact value (class NONE, TTL 0).
    /// </summary>
    internal static byte[] BuildUpdate(ushort id, string zone, string name, string value, bool add, uint ttl)
    {
        if (!IsInZone(name, zone))
        {
            throw new DnsUpdateException($"'{name}' is not inside the zone '{zone}'.");
        }

        var rdata = new DnsWriter().CharacterString(value).ToArray();
        return new DnsWriter()
            .UInt16(id).UInt16(OpcodeUpdate << 11).UInt16(1).UInt16(0).UInt16(1).UInt16(0)
            .Name(zone).UInt16(TypeSoa).UInt16(ClassIn)
            .Name(name).UInt16(TypeTxt).UInt16(add ? ClassIn : ClassNone).UInt32(add ? ttl : 0)
            .UInt16(rdata.Length).Bytes(rdata)
            .ToArray();
    }

    internal static bool IsInZone(string name, string zone)
    {
        name = name.TrimEnd('.');
        zone = zone.TrimEnd('.');
        return name.Equals(zone, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("." + zone, StringComparison.OrdinalIgnoreCase);
    }

    private async Task SendAsync(byte[] update, string what, CancellationToken cancellationToken)
    {
        var (signed, mac) = Tsig.Sign(update, key, time.GetUtcNow().ToUnixTimeSeconds());
        byte[] response;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            response = await ExchangeAsync(signed, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DnsUpdateException($"DNS UPDATE ({what}) to {server} failed: {ex.Message}", ex);
        }

        if (response.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(response) != BinaryPrimitives.ReadUInt16BigEndian(update))
        {
            throw new DnsUpdateException($"DNS UPDATE ({what}): {server} answered with a malformed or foreign message.");
        }

        var rcode = response[3] & 0x0F;
        if (rcode != 0 && TsigRecord.Find(response) is null)
        {
            throw new DnsUpdateException($"DNS UPDATE ({what}) refused by {server}: {DnsRcode.Name(rcode)}.");
        }

        Tsig.Verify(response, mac, key, time.GetUtcNow().ToUnixTimeSeconds());
        if (rcode != 0)
        {
            throw new DnsUpdateException($"DNS UPDATE ({what}) refused by {server}: {DnsRcode.Name(rcode)} (may key '{key.Name}' update TXT records in '{zone}'?).");
        }
    }

    private async Task<byte[]> ExchangeAsync(byte[] message, CancellationToken cancellationToken)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)message.Length);
        await stream.WriteAsync(length, cancellationToken);
        await stream.WriteAsync(message, cancellationToken);
        await stream.ReadExactlyAsync(length, cancellationToken);
        var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
        await stream.ReadExactlyAsync(response, cancellationToken);
        return response;
    }

    private static ushort NewId() => (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
}
