using Fleet.Agent.Acme;

namespace Fleet.Agent.Tests.Acme;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("120", 120)]
    [InlineData(" 0 ", 0)]
    [InlineData("Sun, 01 Mar 2026 12:00:30 GMT", 30)]
    [InlineData("Sun, 01 Mar 2026 11:00:00 GMT", 0)]
    public void Parse_ValidValue_ReturnsTheWait(string value, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(value, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("1.5")]
    public void Parse_AbsentOrUnreadable_ReturnsNull(string? value)
    {
        Assert.Null(RetryAfter.Parse(value, Now));
    }
}
