using Fleet.Core.Releases;

namespace Fleet.Core.Tests.Releases;

public sealed class DurationTests
{
    [Theory]
    [InlineData("500ms", 0, 0, 0, 500)]
    [InlineData("30s", 0, 0, 30, 0)]
    [InlineData("5m", 0, 5, 0, 0)]
    [InlineData("1h30m", 1, 30, 0, 0)]
    [InlineData("0s", 0, 0, 0, 0)]
    public void TryParse_Valid_Parsed(string text, int hours, int minutes, int seconds, int milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(new TimeSpan(0, hours, minutes, seconds, milliseconds), value);
        Assert.Equal(text, Duration.Format(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("1d")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("1.5h")]
    public void TryParse_Invalid_Refused(string text) => Assert.False(Duration.TryParse(text, out _));
}
