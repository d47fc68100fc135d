using Fleet.Contracts.V1;
using Grpc.Core;

namespace Fleet.Agent.Connection;

internal sealed class GrpcControllerStreamClient(ControllerChannel channel) : IControllerStreamClient
{
    public string? LastTransportFailure => channel.Validator.LastFailure;

    public IControllerStream Open(CancellationToken cancellationToken)
    {
        var lease = channel.Acquire();
        try
        {
            return new Stream(lease, lease.Client.Connect(cancellationToken: cancellationToken));
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private sealed class Stream(ControllerChannel.Lease lease, AsyncDuplexStreamingCall<AgentMessage, ControllerMessage> call) : IControllerStream
    {
        public Task SendAsync(AgentMessage message, CancellationToken cancellationToken) =>
            call.RequestStream.WriteAsync(message, cancellationToken);

        public async Task<ControllerMessage?> ReadAsync(CancellationToken cancellationToken) =>
            await call.ResponseStream.MoveNext(cancellationToken) ? call.ResponseStream.Current : null;

        public void Dispose()
        {
            call.Dispose();
            lease.Dispose();
        }
    }
}
