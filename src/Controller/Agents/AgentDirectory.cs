using System.Collections.Concurrent;

namespace Fleet.Controller.Agents;

/// <summary>What a connecting agent is checked against: its name and whether it is revoked.</summary>
internal sealed record AgentIdentity(Guid Id, string Name, DateTimeOffset? RevokedAt);

/// <summary>
/// Caches agent identities so that reconnect storms and renewals do not query the database for
/// every agent; enrollment and revocation on this controller keep it current.
/// </summary>
internal sealed class AgentDirectory(AgentStore store)
{
    private readonly ConcurrentDictionary<Guid, AgentIdentity> _known = new();

    public async ValueTask<AgentIdentity?> FindAsync(Guid agentId, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(agentId, out var cached))
        {
            return cached;
        }

        var row = await store.FindAsync(agentId, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var identity = new AgentIdentity(row.Id, row.Name, row.RevokedAt);
        _known[agentId] = identity;
        return identity;
    }

    public void Remember(AgentIdentity identity) => _known[identity.Id] = identity;

    /// <summary>Agents enrolled or seen since this controller started: a floor for the fleet's size.</summary>
    public int KnownCount => _known.Count;
}
