using Fleet.Contracts.V1;
using Fleet.Controller.Hosting;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Fleet.Controller.Agents;

/// <summary>What operators see of agents (database rows merged with live streams), and revocation.</summary>
internal sealed partial class AgentCatalog(
    AgentStore store, AgentRegistry registry, AgentDirectory directory,
    IOptions<ControllerOptions> options, TimeProvider time, ILogger<AgentCatalog> logger)
{
    public async Task<List<AgentSummary>> ListAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken)
    {
        var rows = await store.ListAsync(labelSelector, cancellationToken);
        return [.. rows.Select(Summarize)];
    }

    /// <exception cref="RpcException">NotFound.</exception>
    public async Task<AgentSummary> GetAsync(string name, CancellationToken cancellationToken)
    {
        var row = await store.FindByNameAsync(name, cancellationToken) ?? throw NotFound(name);
        return Summarize(row);
    }

    /// <summary>Commits the revocation, then closes the agent's stream; it is refused from then on.</summary>
    /// <exception cref="RpcException">NotFound, or FailedPrecondition when already revoked.</exception>
    public async Task<AgentSummary> RevokeAsync(string name, string revokedBy, CancellationToken cancellationToken)
    {
        var row = await store.RevokeAsync(name, id => registry.Find(id)?.LastHeartbeat, cancellationToken);
        if (row is null)
        {
            var existing = await store.FindByNameAsync(name, cancellationToken) ?? throw NotFound(name);
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"agent '{name}' is already revoked (at {existing.RevokedAt!.Value.UtcDateTime:u})"));
        }

        var revokedAt = row.RevokedAt!.Value;
        directory.Remember(new AgentIdentity(row.Id, row.Name, revokedAt));
        registry.Close(row.Id, StatusCode.PermissionDenied, Agents.AgentAuthenticator.RevokedMessage(row.Name, revokedAt));
        Log.Revoked(logger, row.Name, row.Id, revokedBy);
        return Summarize(row);
    }

    private AgentSummary Summarize(AgentRow row) =>
        row.ToSummary(registry.Find(row.Id), time.GetUtcNow(), options.Value.DownAfter);

    private static RpcException NotFound(string name) =>
        new(new Status(StatusCode.NotFound, $"no agent named '{name}'; 'fleetctl agents list' shows the enrolled agents"));

    private static partial class Log
    {
        [LoggerMessage(1520, LogLevel.Warning, "Revoked agent {Name} ({AgentId}) on behalf of token {TokenId}")]
        public static partial void Revoked(ILogger logger, string name, Guid agentId, string tokenId);
    }
}
