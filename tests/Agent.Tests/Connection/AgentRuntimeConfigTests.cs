using System.Text.Json;

namespace Fleet.Agent.Tests.Connection;

public sealed class AgentRuntimeConfigTests
{
    [Fact]
    public void RuntimeConfig_Http2DynamicWindowSizing_Disabled()
    {
        // Copied beside the tests with the referenced agent executable.
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fleet-agent.runtimeconfig.json")));

        var options = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        // Else every message after 2 s of quiet carries an RTT PING the controller must answer.
        Assert.True(options.GetProperty("System.Net.SocketsHttpHandler.Http2FlowControl.DisableDynamicWindowSizing").GetBoolean());
    }

    [Fact]
    public void RuntimeConfig_ThreadPoolSpinning_Off()
    {
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fleet-agent.runtimeconfig.json")));

        var options = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        // The agent shares its host with the apps it deploys.
        Assert.Equal(0, options.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
