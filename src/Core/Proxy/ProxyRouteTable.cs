namespace Fleet.Core.Proxy;

/// <summary>Every route of a host's proxy: replaced as a whole, so that a switch is one atomic change.</summary>
public sealed record ProxyRouteTable
{
    public IReadOnlyList<ProxyRoute> Routes { get; set; } = [];

    public static ProxyRouteTable Empty { get; } = new();
}
