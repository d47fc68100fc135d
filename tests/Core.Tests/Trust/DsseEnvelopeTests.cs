using System.Text;
using Fleet.Core.Tests.TestSupport;
using Fleet.Core.Trust;

namespace Fleet.Core.Tests.Trust;

public sealed class DsseEnvelopeTests : IDisposable
{
    private const string Type = "application/vnd.fleet.test+json";
    private readonly TestTrust _trust = new();

    [Fact]
    public void Parse_ToJsonOutput_RoundTripsExactPayloadBytes()
    {
        var payload = "{ \"spaces\" : \"kept\" }"u8.ToArray();
        var envelope = Dsse.Sign(Type, payload, [_trust.Alice]);

        var parsed = DsseEnvelope.Parse(envelope.ToJson(), Type);

        Assert.Equal(payload, parsed.Payload);
        Assert.Equal(envelope.Signatures[0].Signature, parsed.Signatures[0].Signature);
        Assert.Equal([_trust.Alice.KeyId], DsseVerifier.VerifiedSigners(parsed, [_trust.Alice.PublicKey]));
    }

    [Fact]
    public void ToJson_UsesDsseFieldNames()
    {
        var json = Encoding.UTF8.GetString(Dsse.Sign(Type, "{}"u8.ToArray(), [_trust.Alice]).ToJson());

        Assert.Contains("\"payloadType\":", json, StringComparison.Ordinal);
        Assert.Contains("\"payload\":\"e30=\"", json, StringComparison.Ordinal);
        Assert.Contains("\"keyid\":\"sha256:", json, StringComparison.Ordinal);
        Assert.Contains("\"sig\":", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EnvelopeOverOneMebibyte_RefusedAsTooLarge()
    {
        var json = Encoding.UTF8.GetBytes($"{{\"payloadType\":\"{Type}\",\"payload\":\"{new string('A', DsseEnvelope.MaxEnvelopeBytes)}\",\"signatures\":[]}}");

        var ex = Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(json, Type));

        Assert.True(ex.TooLarge);
        Assert.Contains("limit is 1048576", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PayloadOver512KiB_RefusedAsTooLarge()
    {
        var envelope = new DsseEnvelope(Type, new byte[DsseEnvelope.MaxPayloadBytes + 1], []);

        var ex = Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(envelope.ToJson(), Type));

        Assert.True(ex.TooLarge);
        Assert.StartsWith("payload is", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongPayloadType_Refused()
    {
        var json = Dsse.Sign("application/vnd.other+json", "{}"u8.ToArray(), [_trust.Alice]).ToJson();

        var ex = Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(json, Type));

        Assert.Contains("application/vnd.other+json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManySignatures_Refused()
    {
        var envelope = Dsse.Sign(Type, "{}"u8.ToArray(), Enumerable.Repeat(_trust.Alice, DsseEnvelope.MaxSignatures + 1));

        var ex = Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(envelope.ToJson(), Type));

        Assert.False(ex.TooLarge);
        Assert.Contains("signatures", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"payloadType\":\"application/vnd.fleet.test+json\",\"signatures\":[]}")]
    [InlineData("{\"payloadType\":\"application/vnd.fleet.test+json\",\"payload\":\"!!!\",\"signatures\":[]}")]
    [InlineData("{\"payloadType\":\"application/vnd.fleet.test+json\",\"payloadType\":\"x\",\"payload\":\"e30=\",\"signatures\":[]}")]
    public void Parse_Malformed_RefusedWithFormatError(string json)
    {
        var ex = Assert.Throws<DsseFormatException>(() => DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json), Type));

        Assert.False(ex.TooLarge);
    }

    [Fact]
    public void Parse_UrlSafeUnpaddedBase64_Accepted()
    {
        var json = $"{{\"payloadType\":\"{Type}\",\"payload\":\"-_8\",\"signatures\":[]}}";

        Assert.Equal(new byte[] { 0xfb, 0xff }, DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json), Type).Payload);
    }

    public void Dispose() => _trust.Dispose();
}
