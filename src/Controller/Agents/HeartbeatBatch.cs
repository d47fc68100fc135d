using Fleet.Contracts.V1;

namespace Fleet.Controller.Agents;

/// <summary>The newest heartbeat of one agent waiting to be written; <paramref name="Disconnected"/>: its stream ended then.</summary>
internal readonly record struct PendingHeartbeat(DateTimeOffset SeenAt, StatusSnapshot? Status, bool Disconnected = false);

/// <summary>
/// Collects heartbeats between writes. Keyed by agent, so a batch holds one row per agent (the
/// newest) and a single UPDATE … FROM unnest(…) never sees the same agent twice.
/// </summary>
internal sealed class HeartbeatBatch
{
    private readonly Lock _lock = new();
    private Dictionary<Guid, PendingHeartbeat> _pending = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Adds or replaces the agent's pending heartbeat; returns the number of agents pending.</summary>
    public int Add(Guid agentId, PendingHeartbeat heartbeat)
    {
        lock (_lock)
        {
            _pending[agentId] = heartbeat;
            return _pending.Count;
        }
    }

    /// <summary>Takes everything pending, leaving the batch empty.</summary>
    public Dictionary<Guid, PendingHeartbeat> Take()
    {
        lock (_lock)
        {
            var taken = _pending;
            _pending = new Dictionary<Guid, PendingHeartbeat>(Math.Max(16, taken.Count));
            return taken;
        }
    }

    /// <summary>Puts back a batch whose write failed, without overwriting anything newer.</summary>
    public void Restore(Dictionary<Guid, PendingHeartbeat> failed)
    {
        lock (_lock)
        {
            foreach (var (agentId, heartbeat) in failed)
            {
                if (!_pending.TryGetValue(agentId, out var newer) || newer.SeenAt < heartbeat.SeenAt)
                {
                    _pending[agentId] = heartbeat;
                }
            }
        }
    }
}
