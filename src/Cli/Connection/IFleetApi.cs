using Fleet.Contracts.V1;

namespace Fleet.Cli.Connection;

/// <summary>
/// The controller's operator API as fleetctl uses it. Failures surface as <see cref="CliException"/>
/// with an operator-facing message.
/// </summary>
internal interface IFleetApi : IDisposable
{
    Task<WhoAmIResponse> WhoAmIAsync(CancellationToken cancellationToken);

    Task<CreateTokenResponse> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken);

    Task<ListAgentsResponse> ListAgentsAsync(ListAgentsRequest request, CancellationToken cancellationToken);

    Task<GetAgentResponse> GetAgentAsync(GetAgentRequest request, CancellationToken cancellationToken);

    Task<RevokeAgentResponse> RevokeAgentAsync(RevokeAgentRequest request, CancellationToken cancellationToken);

    Task<GetFleetStatusResponse> GetFleetStatusAsync(GetFleetStatusRequest request, CancellationToken cancellationToken);
}
