using Fleet.Cli.Connection;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Tests.Support;

/// <summary>Answers with canned responses and records what it was asked.</summary>
internal sealed class FakeFleetApi : IFleetApi
{
    public WhoAmIResponse WhoAmI { get; set; } = new() { TokenId = "0123456789abcdef", Role = TokenRole.Admin };

    public CreateTokenResponse CreatedToken { get; set; } = new();

    public ListAgentsResponse Agents { get; set; } = new();

    public GetAgentResponse Agent { get; set; } = new();

    public RevokeAgentResponse Revoked { get; set; } = new();

    public GetFleetStatusResponse FleetStatus { get; set; } = new();

    /// <summary>When set, every call throws it.</summary>
    public Exception? Failure { get; set; }

    public List<object> Requests { get; } = [];

    public bool Disposed { get; private set; }

    public Task<WhoAmIResponse> WhoAmIAsync(CancellationToken cancellationToken) => Answer(new WhoAmIRequest(), WhoAmI);

    public Task<CreateTokenResponse> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken) => Answer(request, CreatedToken);

    public Task<ListAgentsResponse> ListAgentsAsync(ListAgentsRequest request, CancellationToken cancellationToken) => Answer(request, Agents);

    public Task<GetAgentResponse> GetAgentAsync(GetAgentRequest request, CancellationToken cancellationToken) => Answer(request, Agent);

    public Task<RevokeAgentResponse> RevokeAgentAsync(RevokeAgentRequest request, CancellationToken cancellationToken) => Answer(request, Revoked);

    public Task<GetFleetStatusResponse> GetFleetStatusAsync(GetFleetStatusRequest request, CancellationToken cancellationToken) => Answer(request, FleetStatus);

    public void Dispose() => Disposed = true;

    private Task<T> Answer<T>(object request, T response)
    {
        Requests.Add(request);
        return Failure is null ? Task.FromResult(response) : Task.FromException<T>(Failure);
    }
}
