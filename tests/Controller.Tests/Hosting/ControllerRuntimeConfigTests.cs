using System.Text.Json;

namespace Fleet.Controller.Tests.Hosting;

public sealed class ControllerRuntimeConfigTests
{
    [Fact]
    public void RuntimeConfig_SmallHeapWithoutSpinningWorkers()
    {
        // Copied beside the tests with the referenced controller executable.
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fleet-controller.runtimeconfig.json")));

        var options = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        // Memory per connected agent (workstation, non-concurrent GC) and CPU left to PostgreSQL and TLS (no spinning).
        Assert.False(options.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(options.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.Equal(0, options.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
