using Fleet.Cli.Parsing;

namespace Fleet.Cli.Tests.Parsing;

public sealed class LabelSelectorTests
{
    [Fact]
    public void TryParse_RepeatedAndCommaSeparated_MergesAllPairs()
    {
        Assert.True(LabelSelector.TryParse(["env=staging,role=web", "zone=a"], out var selector, out var error), error);

        Assert.Equal(
            [new("env", "staging"), new("role", "web"), new("zone", "a")],
            selector.ToArray());
    }

    [Fact]
    public void TryParse_EmptyValue_Accepted()
    {
        Assert.True(LabelSelector.TryParse(["canary="], out var selector, out _));
        Assert.Equal("", selector["canary"]);
    }

    [Theory]
    [InlineData("env", "is not a label selector")]
    [InlineData("=staging", "is not a label selector")]
    [InlineData("env=staging,", "is not a label selector")]
    [InlineData("-env=x", "is not a valid label key")]
    [InlineData("env=a b", "is not a valid value")]
    [InlineData("env=a=b", "is not a valid value")]
    [InlineData("env=a,env=b", "both 'a' and 'b'")]
    public void TryParse_BadSelector_RefusesWithReason(string text, string reason)
    {
        Assert.False(LabelSelector.TryParse([text], out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
