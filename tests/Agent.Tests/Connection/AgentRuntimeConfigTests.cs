using Fleet.Tests.Shared;

namespace Fleet.Agent.Tests.Connection;

public sealed class AgentRuntimeConfigTests
{
    [Fact]
    public void RuntimeConfig_NoHttp2WindowPingsAndNoSpinningWorkers()
    {
        var options = RuntimeConfigFile.Options("fleet-agent");

        // Else every message after 2 s of quiet carries an RTT PING the controller must answer,
        // and idle workers spin on the CPU of the apps the agent deploys.
        Assert.True(options.GetProperty("System.Net.SocketsHttpHandler.Http2FlowControl.DisableDynamicWindowSizing").GetBoolean());
        Assert.Equal(0, options.GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit").GetInt32());
    }
}
