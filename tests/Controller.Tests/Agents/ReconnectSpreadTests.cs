using Fleet.Controller.Agents;

namespace Fleet.Controller.Tests.Agents;

public sealed class ReconnectSpreadTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(200, 1)]
    [InlineData(201, 2)]
    [InlineData(3000, 15)]
    [InlineData(10_000, 50)]
    [InlineData(100_000, 50)]
    public void Seconds_GrowsWithTheFleetUpToACap(int agents, int expected) =>
        Assert.Equal(expected, ReconnectSpread.Seconds(agents));
}
