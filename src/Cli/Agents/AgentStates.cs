using Fleet.Contracts.V1;

namespace Fleet.Cli.Agents;

internal static class AgentStates
{
    public static string Name(AgentState state) => state switch
    {
        AgentState.Connected => "connected",
        AgentState.Down => "down",
        AgentState.Revoked => "revoked",
        AgentState.Pending => "pending",
        _ => "unknown",
    };
}
