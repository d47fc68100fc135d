using System.Collections.Concurrent;
using Grpc.Core;

namespace Fleet.Controller.Agents;

/// <summary>The agents connected to this controller, keyed by agent id; at most one stream each.</summary>
internal sealed class AgentRegistry
{
    private readonly ConcurrentDictionary<Guid, AgentConnection> _connections = new();

    public int Count => _connections.Count;

    public ICollection<AgentConnection> Connections => _connections.Values;

    /// <summary>Adds a connection; an older stream of the same agent is closed (newest wins after a reconnect).</summary>
    public void Register(AgentConnection connection)
    {
        AgentConnection? previous = null;
        _connections.AddOrUpdate(connection.AgentId, connection, (_, old) =>
        {
            previous = old;
            return connection;
        });
        previous?.Close(StatusCode.Aborted, "a newer connection from the same agent replaced this one");
    }

    /// <summary>Removes the connection only if it is still the registered one; false when a newer one replaced it (or it was removed already).</summary>
    public bool Unregister(AgentConnection connection) =>
        _connections.TryRemove(new KeyValuePair<Guid, AgentConnection>(connection.AgentId, connection));

    public AgentConnection? Find(Guid agentId) => _connections.GetValueOrDefault(agentId);

    public void Close(Guid agentId, StatusCode code, string reason)
    {
        if (_connections.TryGetValue(agentId, out var connection))
        {
            connection.Close(code, reason);
        }
    }

    public void CloseAll(StatusCode code, string reason)
    {
        foreach (var connection in _connections.Values)
        {
            connection.Close(code, reason);
        }
    }
}
