using System.Collections.Concurrent;

namespace Fleet.Agent.Acme;

/// <summary>
/// Replay nonces (RFC 8555 §7.2): every response carries a fresh one, so the pool is refilled
/// for free and newNonce is only asked when it runs dry.
/// </summary>
internal sealed class NoncePool(HttpClient http, Func<CancellationToken, Task<Uri>> newNonceUrl)
{
    private const int Capacity = 16;
    private readonly ConcurrentQueue<string> _nonces = new();

    public async Task<string> TakeAsync(CancellationToken cancellationToken)
    {
        if (_nonces.TryDequeue(out var nonce))
        {
            return nonce;
        }

        using var request = new HttpRequestMessage(HttpMethod.Head, await newNonceUrl(cancellationToken));
        using var response = await http.SendAsync(request, cancellationToken);
        return Read(response)
            ?? throw new AcmeProtocolException($"The ACME server's newNonce answered {(int)response.StatusCode} without a Replay-Nonce header.");
    }

    /// <summary>Keeps the nonce of any response, success or error.</summary>
    public void Remember(HttpResponseMessage response)
    {
        if (Read(response) is { } nonce && _nonces.Count < Capacity)
        {
            _nonces.Enqueue(nonce);
        }
    }

    private static string? Read(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Replay-Nonce", out var values) ? values.FirstOrDefault() : null;
}
