using Fleet.Agent.Acme.Dns01;

namespace Fleet.Agent.Tests.Acme.Dns01;

public sealed class DnsUpdateMessageTests
{
    private const string Header = "1234" + "2800" + "0001" + "0000" + "0001" + "0000"; // id, opcode UPDATE, ZO=1, PR=0, UP=1, AD=0
    private const string Zone = "05666C656574" + "0474657374" + "00" + "0006" + "0001"; // fleet.test SOA IN
    private const string Name = "0F5F61636D652D6368616C6C656E6765" + "0161" + "05666C656574" + "0474657374" + "00"; // _acme-challenge.a.fleet.test

    [Fact]
    public void BuildUpdate_AddTxt_EncodesRfc2136Message()
    {
        var message = DnsUpdateClient.BuildUpdate(0x1234, "fleet.test", "_acme-challenge.a.fleet.test", "abc", add: true, ttl: 60);

        Assert.Equal(Header + Zone + Name + "0010" + "0001" + "0000003C" + "0004" + "03616263", Convert.ToHexString(message));
    }

    [Fact]
    public void BuildUpdate_DeleteTxt_UsesClassNoneAndZeroTtl()
    {
        var message = DnsUpdateClient.BuildUpdate(0x1234, "Fleet.Test.", "_ACME-challenge.a.fleet.test", "abc", add: false, ttl: 60);

        Assert.Equal(Header + Zone + Name + "0010" + "00FE" + "00000000" + "0004" + "03616263", Convert.ToHexString(message));
    }

    [Fact]
    public void BuildUpdate_NameOutsideZone_IsRefused()
    {
        var error = Assert.Throws<DnsUpdateException>(() => DnsUpdateClient.BuildUpdate(1, "fleet.test", "_acme-challenge.evilfleet.test", "v", true, 60));

        Assert.Equal("'_acme-challenge.evilfleet.test' is not inside the zone 'fleet.test'.", error.Message);
    }

    [Fact]
    public void CharacterString_LongerThan255_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new DnsWriter().CharacterString(new string('a', 256)));
    }

    [Fact]
    public void Name_CompressionPointer_IsFollowed()
    {
        // "fleet.test" at offset 0, then "a" + pointer to offset 0.
        var message = Convert.FromHexString("05666C6565740474657374" + "00" + "0161C000");
        var reader = new DnsReader(message) { Position = 12 };

        Assert.Equal("a.fleet.test", reader.Name());
        Assert.Equal(message.Length, reader.Position);
    }

    [Fact]
    public void Name_PointerLoop_IsRefused()
    {
        var message = Convert.FromHexString("C000");

        Assert.Throws<DnsUpdateException>(() => new DnsReader(message).Name());
    }
}
