using Fleet.Contracts.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Fleet.Integration.Tests.Controller;

/// <summary>A Connect stream driven by hand, as the agent's connection loop does.</summary>
internal sealed class AgentStream(AsyncDuplexStreamingCall<AgentMessage, ControllerMessage> call) : IDisposable
{
    public static async Task<(AgentStream Stream, ConnectionSettings Settings)> OpenAsync(GrpcChannel channel)
    {
        var call = new AgentService.AgentServiceClient(channel).Connect(cancellationToken: TestContext.Current.CancellationToken);
        var stream = new AgentStream(call);
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new AgentHello { AgentVersion = "test" } });
        var first = await stream.NextAsync();
        Assert.Equal(ControllerMessage.KindOneofCase.Settings, first.KindCase);
        return (stream, first.Settings);
    }

    public async Task<HeartbeatAck> BeatAsync(long sequence, string hostname = "host-1")
    {
        await call.RequestStream.WriteAsync(new AgentMessage
        {
            Heartbeat = new Heartbeat { Sequence = sequence, Status = new StatusSnapshot { Hostname = hostname, CpuPercent = 12.5 } },
        });
        var reply = await NextAsync();
        Assert.Equal(ControllerMessage.KindOneofCase.HeartbeatAck, reply.KindCase);
        return reply.HeartbeatAck;
    }

    /// <summary>The next message; throws the RpcException with which the controller ended the stream.</summary>
    public async Task<ControllerMessage> NextAsync()
    {
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken), "the controller ended the stream");
        return call.ResponseStream.Current;
    }

    public void Dispose() => call.Dispose();
}
