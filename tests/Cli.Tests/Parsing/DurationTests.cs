using Fleet.Cli.Parsing;

namespace Fleet.Cli.Tests.Parsing;

public sealed class DurationTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("15m", 15 * 60)]
    [InlineData("1h", 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d2h3m4s", 86400 + 7200 + 180 + 4)]
    [InlineData(" 2h ", 7200)]
    public void TryParse_ValidDuration_ReturnsSeconds(string text, long seconds)
    {
        Assert.True(Duration.TryParse(text, out var duration, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("10")]
    [InlineData("h")]
    [InlineData("1w")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("1H")]
    [InlineData("30m1h")]
    [InlineData("1h1h")]
    [InlineData("1h 30m")]
    public void TryParse_Malformed_RefusesWithExample(string? text)
    {
        Assert.False(Duration.TryParse(text, out var duration, out var error));
        Assert.Equal(TimeSpan.Zero, duration);
        Assert.Contains("30s, 15m, 1h or 7d", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("0d0h")]
    public void TryParse_Zero_RefusesAsNotLongerThanZero(string text)
    {
        Assert.False(Duration.TryParse(text, out _, out var error));
        Assert.Contains("longer than zero", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999999999999d")]
    [InlineData("10675199d3h")]
    [InlineData("10675199d24h")]
    public void TryParse_Overflow_RefusesAsTooLong(string text)
    {
        Assert.False(Duration.TryParse(text, out _, out var error));
        Assert.Contains("too long", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3720, "1h2m")]
    [InlineData(86400 + 1, "1d1s")]
    [InlineData(0, "0s")]
    public void Format_Duration_ShortestExactText(long seconds, string expected)
    {
        Assert.Equal(expected, Duration.Format(TimeSpan.FromSeconds(seconds)));
    }
}
