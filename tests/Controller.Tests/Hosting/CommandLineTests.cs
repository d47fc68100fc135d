using Fleet.Controller.Hosting;

namespace Fleet.Controller.Tests.Hosting;

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_BareDevFlagBeforeOption_BothApplied()
    {
        var config = CommandLine.Parse(["--dev", "--data", "/tmp/x", "--listen=127.0.0.1:0"]);

        Assert.Equal("true", config["Controller:Dev"]);
        Assert.Equal("/tmp/x", config["Controller:Data"]);
        Assert.Equal("127.0.0.1:0", config["Controller:Listen"]);
    }

    [Fact]
    public void Parse_Durations_BecomeTimeSpans()
    {
        var config = CommandLine.Parse(["--heartbeat-interval", "2s", "--agent-cert-lifetime", "24h"]);

        Assert.Equal("00:00:02", config["Controller:HeartbeatInterval"]);
        Assert.Equal("1.00:00:00", config["Controller:AgentCertLifetime"]);
    }

    [Fact]
    public void Parse_RepeatedAdvertiseName_AllKept()
    {
        var config = CommandLine.Parse(["--advertise-name", "a.example", "--advertise-name", "10.0.0.1"]);

        Assert.Equal("a.example", config["Controller:AdvertiseName:0"]);
        Assert.Equal("10.0.0.1", config["Controller:AdvertiseName:1"]);
    }

    [Theory]
    [InlineData("--dat", "x")]
    [InlineData("--heartbeat-interval", "soon")]
    [InlineData("--heartbeat-interval", "-5s")]
    [InlineData("stray", "x")]
    public void Parse_BadInput_RefusedWithMessage(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse([option, value]));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Parse_MissingValue_SaysWhich() =>
        Assert.Contains("'--data' needs a value", Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--data"])).Message, StringComparison.Ordinal);
}
