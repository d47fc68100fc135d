using System.Net.Sockets;
using Fleet.Core.Proxy;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Traffic;

/// <summary>fleet-proxy's admin API over its Unix socket.</summary>
internal sealed class ProxyAdminClient : IDisposable
{
    private readonly HttpClient _http;

    public ProxyAdminClient(IOptions<TrafficOptions> options)
    {
        var socket = options.Value.AdminSocket;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await connection.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                    return new NetworkStream(connection, ownsSocket: true);
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            },
        })
        {
            BaseAddress = new Uri("http://fleet-proxy/"),
            Timeout = options.Value.AdminTimeout,
        };
    }

    public async Task<ProxyRouteTable> GetRoutesAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync("v1/routes", ProxyJsonContext.Default.ProxyRouteTable, cancellationToken) ?? ProxyRouteTable.Empty;

    /// <exception cref="ProxyRefusedException">The proxy found the table invalid.</exception>
    public async Task PutRoutesAsync(ProxyRouteTable table, CancellationToken cancellationToken)
    {
        using var response = await _http.PutAsJsonAsync("v1/routes", table, ProxyJsonContext.Default.ProxyRouteTable, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.BadRequest
            && await response.Content.ReadFromJsonAsync(ProxyJsonContext.Default.ProxyAdminError, cancellationToken) is { } refusal)
        {
            throw new ProxyRefusedException(refusal.Errors);
        }

        response.EnsureSuccessStatusCode();
    }

    public Task<int> InFlightAsync(string app, string service, string slot, CancellationToken cancellationToken) =>
        SlotCallAsync(HttpMethod.Get, "v1/inflight", app, service, slot, cancellationToken);

    /// <summary>Closes what still runs on the slot (long-lived streams); returns how many requests that ended.</summary>
    public Task<int> AbortAsync(string app, string service, string slot, CancellationToken cancellationToken) =>
        SlotCallAsync(HttpMethod.Post, "v1/abort", app, service, slot, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<int> SlotCallAsync(HttpMethod method, string path, string app, string service, string slot, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, $"{path}?app={Uri.EscapeDataString(app)}&service={Uri.EscapeDataString(service)}&slot={Uri.EscapeDataString(slot)}");
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync(ProxyJsonContext.Default.ProxyInFlight, cancellationToken);
        return answer?.Requests ?? 0;
    }
}
