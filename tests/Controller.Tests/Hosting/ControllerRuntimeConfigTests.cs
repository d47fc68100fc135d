using Fleet.Tests.Shared;

namespace Fleet.Controller.Tests.Hosting;

public sealed class ControllerRuntimeConfigTests
{
    [Fact]
    public void RuntimeConfig_SmallHeapBackgroundFullCollectionsNoSpinningWorkers()
    {
        var options = RuntimeConfigFile.Options("fleet-controller");

        // Memory per connected agent (workstation GC), no half-second pause of a blocking full
        // collection in the middle of a fan-out, and CPU left to PostgreSQL and TLS (no spinning).
        Assert.False(options.GetProperty("System.GC.Server").GetBoolean());
        Assert.True(options.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.Equal(0, options.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
