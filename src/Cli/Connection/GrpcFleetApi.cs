using Fleet.Contracts.V1;
using Fleet.Core.Transport;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Fleet.Cli.Connection;

/// <summary>
/// The generated gRPC clients over one pinned channel. Every call carries
/// <c>authorization: Bearer &lt;token&gt;</c> and a deadline; failures become one clear line.
/// </summary>
internal sealed class GrpcFleetApi : IFleetApi
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly Uri _controller;
    private readonly TimeProvider _time;
    private readonly PinnedServerValidator _validator;
    private readonly GrpcChannel _channel;
    private readonly TokensService.TokensServiceClient _tokens;
    private readonly AgentsService.AgentsServiceClient _agents;
    private readonly FleetService.FleetServiceClient _fleet;

    public GrpcFleetApi(Uri controller, string caPin, string token, TimeProvider time)
    {
        _controller = controller;
        _time = time;
        _validator = new PinnedServerValidator([caPin]);
        _channel = PinnedChannel.Create(controller, _validator);
        var authorization = $"Bearer {token}";
        var invoker = _channel.Intercept(metadata =>
        {
            metadata.Add("authorization", authorization);
            return metadata;
        });
        _tokens = new TokensService.TokensServiceClient(invoker);
        _agents = new AgentsService.AgentsServiceClient(invoker);
        _fleet = new FleetService.FleetServiceClient(invoker);
    }

    public Task<WhoAmIResponse> WhoAmIAsync(CancellationToken cancellationToken) =>
        CallAsync(o => _fleet.WhoAmIAsync(new WhoAmIRequest(), o), cancellationToken);

    public Task<CreateTokenResponse> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _tokens.CreateTokenAsync(request, o), cancellationToken);

    public Task<ListAgentsResponse> ListAgentsAsync(ListAgentsRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _agents.ListAgentsAsync(request, o), cancellationToken);

    public Task<GetAgentResponse> GetAgentAsync(GetAgentRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _agents.GetAgentAsync(request, o), cancellationToken);

    public Task<RevokeAgentResponse> RevokeAgentAsync(RevokeAgentRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _agents.RevokeAgentAsync(request, o), cancellationToken);

    public Task<GetFleetStatusResponse> GetFleetStatusAsync(GetFleetStatusRequest request, CancellationToken cancellationToken) =>
        CallAsync(o => _fleet.GetFleetStatusAsync(request, o), cancellationToken);

    public void Dispose() => _channel.Dispose();

    private async Task<T> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, CancellationToken cancellationToken)
    {
        var options = new CallOptions(
            deadline: (_time.GetUtcNow() + CallTimeout).UtcDateTime,
            cancellationToken: cancellationToken);
        try
        {
            using var pending = call(options);
            return await pending.ResponseAsync;
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            throw new CliException(RpcErrors.Describe(ex, _controller, _validator.LastFailure, CallTimeout), inner: ex);
        }
    }
}
