using Fleet.Agent.Deploy;

namespace Fleet.Agent.Tests.Deploy;

public sealed class DeployOptionsTests
{
    [Fact]
    public void Validate_PortRangeInverted_OptionsValidatorFails()
    {
        var result = new DeployOptionsValidator().Validate(
            null, new DeployOptions { JournalPath = "/x", PortRangeStart = 30000, PortRangeEnd = 30000 });

        Assert.True(result.Failed);
        Assert.Contains("PortRangeEnd must be greater", result.FailureMessage, StringComparison.Ordinal);
    }
}
