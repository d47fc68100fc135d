using Fleet.Controller.Enrollment;

namespace Fleet.Controller.Tests.Enrollment;

public sealed class AgentNameTests
{
    [Theory]
    [InlineData("web-1")]
    [InlineData("a")]
    [InlineData("db.eu-west.3")]
    [InlineData("0abc")]
    public void Validate_WellFormed_Null(string name) => Assert.Null(AgentName.Validate(name));

    [Theory]
    [InlineData("")]
    [InlineData("Web-1")]
    [InlineData("-web")]
    [InlineData(".web")]
    [InlineData("web_1")]
    [InlineData("../etc")]
    [InlineData("web 1")]
    [InlineData(null)]
    public void Validate_Malformed_ExplainsTheRule(string? name) =>
        Assert.Contains("lowercase letters, digits", AgentName.Validate(name), StringComparison.Ordinal);

    [Fact]
    public void Validate_SixtyFourCharacters_Refused()
    {
        Assert.Null(AgentName.Validate(new string('a', 63)));
        Assert.NotNull(AgentName.Validate(new string('a', 64)));
    }

    [Fact]
    public void ValidateLabels_BadKey_NamesTheKey() =>
        Assert.Contains("'Env'", AgentName.ValidateLabels(new Dictionary<string, string> { ["Env"] = "x" }), StringComparison.Ordinal);

    [Fact]
    public void ValidateLabels_GoodLabels_Null() =>
        Assert.Null(AgentName.ValidateLabels(new Dictionary<string, string> { ["env"] = "staging", ["role"] = "Web Front" }));
}
