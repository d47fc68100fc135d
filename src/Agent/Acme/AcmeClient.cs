using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Fleet.Agent.Acme;

/// <summary>
/// An RFC 8555 client. One instance serves one account key against one directory; it is not
/// meant to be shared between threads that rotate the key. Transport lives here; resource
/// operations are in AcmeClient.Operations.cs.
/// </summary>
internal sealed partial class AcmeClient
{
    /// <summary>Pebble rejects up to half of good nonces in tests; each retry is one cheap request.</summary>
    internal const int MaxBadNonceAttempts = 16;

    private static readonly MediaTypeHeaderValue JoseJson = new("application/jose+json");

    private readonly HttpClient _http;
    private readonly Uri _directoryUrl;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NoncePool _nonces;
    private AcmeDirectory? _directory;
    private ECDsa _key;

    public AcmeClient(HttpClient http, Uri directoryUrl, ECDsa accountKey, TimeProvider time, ILogger logger)
    {
        _http = http;
        _directoryUrl = directoryUrl;
        _key = accountKey;
        _time = time;
        _logger = logger;
        _nonces = new NoncePool(http, async ct => (await GetDirectoryAsync(ct)).NewNonce);
    }

    /// <summary>The account URL (JWS <c>kid</c>) once the account is created or found.</summary>
    public Uri? AccountUrl { get; private set; }

    /// <summary>How long polls wait when the server gives no Retry-After, and in total.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public ECDsa AccountKey => _key;

    public async Task<AcmeDirectory> GetDirectoryAsync(CancellationToken cancellationToken)
    {
        if (_directory is not null)
        {
            return _directory;
        }

        using var response = await _http.GetAsync(_directoryUrl, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new AcmeProtocolException($"The ACME directory {_directoryUrl} answered {(int)response.StatusCode}.");
        }

        try
        {
            return _directory = AcmeJson.Read<AcmeDirectory>(body);
        }
        catch (JsonException ex)
        {
            throw new AcmeProtocolException($"The ACME directory {_directoryUrl} is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Signs and POSTs; null payload = POST-as-GET. Retries only badNonce (with the fresh nonce
    /// the error carried); every other problem, including rateLimited, throws at once.
    /// </summary>
    internal async Task<AcmeResponse> PostAsync(Uri url, byte[]? payload, string operation, CancellationToken cancellationToken,
        bool useJwk = false, string? accept = null)
    {
        var kid = useJwk ? null : (AccountUrl ?? throw new InvalidOperationException("No ACME account yet: call EnsureAccountAsync first.")).AbsoluteUri;
        for (var attempt = 1; ; attempt++)
        {
            var nonce = await _nonces.TakeAsync(cancellationToken);
            using var content = new ByteArrayContent(AcmeJws.Sign(_key, kid, nonce, url, payload));
            content.Headers.ContentType = JoseJson;
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            if (accept is not null)
            {
                request.Headers.Accept.ParseAdd(accept);
            }

            using var response = await _http.SendAsync(request, cancellationToken);
            _nonces.Remember(response);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var retryAfter = RetryAfter.From(response.Headers, _time.GetUtcNow());
            if (response.IsSuccessStatusCode)
            {
                return new AcmeResponse(response.StatusCode, body, response.Headers.Location, retryAfter, LinkHeader.Parse(response.Headers, url));
            }

            var problem = ReadProblem(response, body);
            var error = new AcmeProblemException(problem, response.StatusCode, operation, retryAfter);
            if (error.ShortType == "badNonce" && attempt < MaxBadNonceAttempts)
            {
                Log.BadNonceRetry(_logger, operation, attempt);
                continue;
            }

            throw error;
        }
    }

    /// <summary>POST-as-GET until <paramref name="done"/>, waiting Retry-After (or the poll interval) between reads.</summary>
    internal async Task<T> PollAsync<T>(Uri url, string operation, Func<T, bool> done, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + PollTimeout;
        var interval = PollInterval;
        while (true)
        {
            var response = await PostAsync(url, null, operation, cancellationToken);
            var resource = AcmeJson.Read<T>(response.Body);
            if (done(resource))
            {
                return resource;
            }

            var wait = response.RetryAfter ?? interval;
            if (_time.GetUtcNow() + wait > deadline)
            {
                throw new TimeoutException($"ACME {operation} did not finish within {PollTimeout:g} ({url}).");
            }

            Log.PollingAgain(_logger, operation, wait);
            await Task.Delay(wait, _time, cancellationToken);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private static AcmeProblem ReadProblem(HttpResponseMessage response, byte[] body)
    {
        try
        {
            if (body.Length > 0 && JsonSerializer.Deserialize<AcmeProblem>(body, AcmeJson.Options) is { } problem)
            {
                return problem;
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's HTML page, say): describe it by its status instead.
        }

        return new AcmeProblem(null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} without a problem document", (int)response.StatusCode, null, null);
    }
}

internal sealed record AcmeResponse(HttpStatusCode Status, byte[] Body, Uri? Location, TimeSpan? RetryAfter, IReadOnlyList<LinkHeader> Links);
