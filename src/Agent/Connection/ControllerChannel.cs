using Fleet.Agent.Identity;
using Fleet.Contracts.V1;
using Fleet.Core.Transport;
using Grpc.Net.Client;

namespace Fleet.Agent.Connection;

/// <summary>
/// The agent's one HTTP/2 channel to the controller: the server must chain to a pinned CA, and
/// each new TLS connection presents the current client certificate.
/// </summary>
internal sealed class ControllerChannel : IDisposable
{
    private readonly GrpcChannel _channel;

    public ControllerChannel(AgentCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        Validator = new PinnedServerValidator(credentials.Config.CaPins, credentials.CaBundle);
        _channel = PinnedChannel.Create(credentials.Config.ControllerUrl, Validator, () => credentials.Current);
        Client = new AgentService.AgentServiceClient(_channel);
    }

    public PinnedServerValidator Validator { get; }

    public AgentService.AgentServiceClient Client { get; }

    public void Dispose() => _channel.Dispose();
}
