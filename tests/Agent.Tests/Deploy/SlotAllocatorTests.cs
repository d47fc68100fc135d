using Fleet.Agent.Deploy;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Tests.Deploy;

public sealed class SlotAllocatorTests
{
    private readonly SlotAllocator _allocator = new(Options.Create(new DeployOptions { PortRangeStart = 20000, PortRangeEnd = 20003 }));

    [Theory]
    [InlineData(null, "a")]
    [InlineData("a", "b")]
    [InlineData("b", "a")]
    public void Allocate_CurrentSlot_PicksTheOtherSlot(string? current, string expected)
    {
        Assert.Equal(expected, _allocator.Allocate(current, new HashSet<int>(), _ => true).Slot);
    }

    [Fact]
    public void Allocate_PortsReservedOrBusy_SkipsThem()
    {
        var slot = _allocator.Allocate("a", new HashSet<int> { 20000 }, port => port != 20001);

        Assert.Equal(new SlotAssignment("b", 20002), slot);
        Assert.Equal("127.0.0.1:20002", slot.Endpoint);
    }

    [Fact]
    public void Allocate_RangeExhausted_ThrowsNamingTheRange()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => _allocator.Allocate(null, new HashSet<int> { 20000, 20001 }, port => port < 20002));

        Assert.Contains("20000-20003", error.Message, StringComparison.Ordinal);
    }
}
