using Fleet.Cli.Output;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Cli.Tests.Output;

public sealed class HumanizeTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-3, "3s ago")]
    [InlineData(-59, "59s ago")]
    [InlineData(-60, "1m ago")]
    [InlineData(-3599, "59m ago")]
    [InlineData(-7200, "2h ago")]
    [InlineData(-47 * 3600, "47h ago")]
    [InlineData(-4 * 86400, "4d ago")]
    [InlineData(3600, "in 1h")]
    [InlineData(0, "0s ago")]
    public void Relative_PastAndFuture_ShortUnits(int secondsFromNow, string expected)
    {
        var time = Timestamp.FromDateTimeOffset(Now.AddSeconds(secondsFromNow));

        Assert.Equal(expected, Humanize.Relative(time, Now));
    }

    [Fact]
    public void Relative_Unset_Never()
    {
        Assert.Equal("never", Humanize.Relative(null, Now));
    }

    [Fact]
    public void Iso_Timestamp_UtcWithZ()
    {
        var time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 3, 1, 14, 30, 5, TimeSpan.FromHours(2)).AddMilliseconds(250));

        Assert.Equal("2025-03-01T12:30:05Z", Humanize.Iso(time));
        Assert.Null(Humanize.Iso(null));
    }

    [Theory]
    [InlineData(0UL, "0 B")]
    [InlineData(1023UL, "1023 B")]
    [InlineData(1536UL, "1.5 KiB")]
    [InlineData(45UL * 1024 * 1024 * 1024, "45.0 GiB")]
    public void Bytes_BinaryUnits(ulong bytes, string expected)
    {
        Assert.Equal(expected, Humanize.Bytes(bytes));
    }

    [Fact]
    public void Labels_SortedByKeyOrDash()
    {
        Assert.Equal("env=prod,role=web", Humanize.Labels([new("role", "web"), new("env", "prod")]));
        Assert.Equal("-", Humanize.Labels([]));
    }
}
