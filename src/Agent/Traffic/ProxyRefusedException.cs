namespace Fleet.Agent.Traffic;

/// <summary>fleet-proxy refused a route table; it keeps serving the last good one.</summary>
internal sealed class ProxyRefusedException(IReadOnlyList<string> errors)
    : Exception("fleet-proxy refused the routes: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
