using System.Globalization;
using Fleet.Core.Proxy;

namespace Fleet.Proxy.Listeners;

/// <summary>
/// The services' own listeners as Kestrel endpoint configuration (Endpoints:service-PORT:Url).
/// Kestrel watches it (reloadOnChange) and binds or unbinds only the endpoints that changed, so
/// adding a service's port never disturbs the connections on the others.
/// </summary>
internal sealed class ServiceListenerConfiguration : ConfigurationProvider, IConfigurationSource
{
    private readonly Lock _lock = new();
    private HashSet<string> _urls = [];

    public IConfigurationRoot Root => new ConfigurationRoot([this]);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Makes the endpoints exactly these listeners; Kestrel rebinds when they differ from the last set.</summary>
    public void Set(IEnumerable<ProxyListener> listeners)
    {
        var urls = listeners.Select(l => "http://" + l).ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            if (urls.SetEquals(_urls))
            {
                return;
            }

            _urls = urls;
            Data = listeners.ToDictionary(
                l => string.Create(CultureInfo.InvariantCulture, $"Endpoints:service-{l.Port}:Url"),
                l => (string?)("http://" + l),
                StringComparer.OrdinalIgnoreCase);
        }

        OnReload();
    }
}
