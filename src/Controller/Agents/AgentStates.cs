using Fleet.Contracts.V1;

namespace Fleet.Controller.Agents;

internal static class AgentStates
{
    /// <summary>
    /// Revoked wins; connected means a stream is open here and its last heartbeat is fresher than
    /// <paramref name="downAfter"/>; an agent never seen is pending; anything else is down.
    /// </summary>
    public static AgentState Compute(DateTimeOffset? revokedAt, DateTimeOffset? lastSeen, DateTimeOffset? liveHeartbeat, DateTimeOffset now, TimeSpan downAfter)
    {
        if (revokedAt is not null)
        {
            return AgentState.Revoked;
        }

        if (liveHeartbeat is { } beat && now - beat < downAfter)
        {
            return AgentState.Connected;
        }

        return lastSeen is null && liveHeartbeat is null ? AgentState.Pending : AgentState.Down;
    }

    /// <summary>Whether a stream has been silent too long and must be closed.</summary>
    public static bool IsSilent(DateTimeOffset lastHeartbeat, DateTimeOffset now, TimeSpan downAfter) => now - lastHeartbeat >= downAfter;
}
