using System.Security.Cryptography;
using Fleet.Agent.Acme.Dns01;

namespace Fleet.Agent.Tests.Acme.Dns01;

public sealed class TsigTests
{
    private const long Time = 1_700_000_000; // 0x6553F100
    private const string KeyName = "016B00"; // "k."
    private const string Algorithm = "0B686D61632D73686132353600"; // "hmac-sha256."
    private static readonly TsigKey Key = new("k", Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly byte[] Request = DnsUpdateClient.BuildUpdate(0x1234, "fleet.test", "_acme-challenge.a.fleet.test", "abc", true, 60);

    [Fact]
    public void Sign_KnownMessage_MacCoversMessageAndRfc8945Variables()
    {
        var variables = KeyName + "00FF" + "00000000" + Algorithm + "00006553F100" + "012C" + "0000" + "0000";
        var expectedMac = HMACSHA256.HashData(Key.Secret, Convert.FromHexString(Convert.ToHexString(Request) + variables));

        var (signed, mac) = Tsig.Sign(Request, Key, Time);

        Assert.Equal(expectedMac, mac);
        var expectedRecord = KeyName + "00FA" + "00FF" + "00000000" + "003D"
            + Algorithm + "00006553F100" + "012C" + "0020" + Convert.ToHexString(mac) + "1234" + "0000" + "0000";
        Assert.Equal(Convert.ToHexString(Request[..10]) + "0001" + Convert.ToHexString(Request[12..]) + expectedRecord, Convert.ToHexString(signed));
    }

    [Fact]
    public void Verify_ResponseSignedByServer_Passes()
    {
        var (_, requestMac) = Tsig.Sign(Request, Key, Time);

        Tsig.Verify(ServerResponse(requestMac, Key.Secret, error: 0), requestMac, Key, Time + 2);
    }

    [Fact]
    public void Verify_TamperedResponse_IsRefused()
    {
        var (_, requestMac) = Tsig.Sign(Request, Key, Time);
        var response = ServerResponse(requestMac, Key.Secret, error: 0);
        response[3] ^= 0x05; // rcode flipped after signing

        var error = Assert.Throws<DnsUpdateException>(() => Tsig.Verify(response, requestMac, Key, Time));

        Assert.Contains("wrong TSIG signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ServerUsedAnotherSecret_IsRefused()
    {
        var (_, requestMac) = Tsig.Sign(Request, Key, Time);

        Assert.Throws<DnsUpdateException>(() => Tsig.Verify(ServerResponse(requestMac, new byte[32], 0), requestMac, Key, Time));
    }

    [Fact]
    public void Verify_BadSigError_SaysTheKeyWasRefused()
    {
        var (_, requestMac) = Tsig.Sign(Request, Key, Time);

        var error = Assert.Throws<DnsUpdateException>(() => Tsig.Verify(ServerResponse(requestMac, Key.Secret, error: 16), requestMac, Key, Time));

        Assert.Equal("The DNS server refused TSIG key 'k': BADSIG (is the key name or secret wrong?).", error.Message);
    }

    [Fact]
    public void Verify_ClockOutsideFudge_IsRefused()
    {
        var (_, requestMac) = Tsig.Sign(Request, Key, Time);

        var error = Assert.Throws<DnsUpdateException>(() => Tsig.Verify(ServerResponse(requestMac, Key.Secret, 0), requestMac, Key, Time + 301));

        Assert.Contains("fudge 300", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UnsignedResponse_IsRefused()
    {
        var (_, requestMac) = Tsig.Sign(Request, Key, Time);

        Assert.Throws<DnsUpdateException>(() => Tsig.Verify(ResponseBody(), requestMac, Key, Time));
    }

    [Fact]
    public void FromFile_TsigKeygenOutput_ReadsTheSecret()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "key \"k\" {\n\talgorithm hmac-sha256;\n\tsecret \"AQIDBA==\";\n};\n");

            Assert.Equal(new byte[] { 1, 2, 3, 4 }, TsigKey.FromFile("k", file).Secret);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A response to <see cref="Request"/> signed the way RFC 8945 §5.3 tells a server to, written out by hand.</summary>
    private static byte[] ServerResponse(byte[] requestMac, byte[] secret, ushort error)
    {
        var body = ResponseBody();
        var macInput = Convert.FromHexString("0020" + Convert.ToHexString(requestMac) + Convert.ToHexString(body)
            + KeyName + "00FF" + "00000000" + Algorithm + "00006553F100" + "012C" + error.ToString("X4") + "0000");
        var mac = error == 0 ? HMACSHA256.HashData(secret, macInput) : [];
        var rdata = Algorithm + "00006553F100" + "012C" + mac.Length.ToString("X4") + Convert.ToHexString(mac) + "1234" + error.ToString("X4") + "0000";
        var record = KeyName + "00FA" + "00FF" + "00000000" + (rdata.Length / 2).ToString("X4") + rdata;
        var signed = Convert.FromHexString(Convert.ToHexString(body) + record);
        signed[11] = 1; // ARCOUNT
        return signed;
    }

    /// <summary>NOERROR reply echoing the zone section.</summary>
    private static byte[] ResponseBody() =>
        Convert.FromHexString("1234" + "A800" + "0001" + "0000" + "0000" + "0000" + "05666C6565740474657374" + "00" + "0006" + "0001");
}
