using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Fleet.Core.Releases;

namespace Fleet.Core.Registries;

/// <summary>
/// Answers a registry's 401 challenge the way docker, crane and skopeo do, for every request to
/// <c>/v2/REPOSITORY/…</c>: Basic with the credential for that registry, or Bearer with a token from
/// the challenge's realm (anonymous when there is no credential, Basic-authenticated when there is).
/// Tokens are kept per registry, repository and actions until shortly before they expire, and
/// Basic is sent up front once a registry asked for it, so a second request costs no extra round trip.
/// A refusal throws a <see cref="RegistryException"/> (<see cref="RegistryErrorKind.Unauthorized"/>)
/// that names the registry and the repository and says what to do; no credential or token is ever
/// part of an error.
/// </summary>
public sealed partial class RegistryAuthHandler(IRegistryCredentials credentials, TimeProvider time) : DelegatingHandler
{
    // A token is dropped this long before the expiry the token server announced.
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Scope, CachedAuthorization> _cache = new();

    /// <summary>An HttpClient whose requests go through a new handler of this kind.</summary>
    public static HttpClient CreateClient(IRegistryCredentials credentials, TimeProvider time, TimeSpan timeout) =>
        new(new RegistryAuthHandler(credentials, time) { InnerHandler = new SocketsHttpHandler() }) { Timeout = timeout };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new ArgumentException("the request has no URI", nameof(request));
        var repository = RepositoryPath().Match(uri.AbsolutePath) is { Success: true } match ? match.Groups["name"].Value : null;
        var scope = new Scope(RegistryHost.Normalize(uri.Authority), repository,
            request.Method == HttpMethod.Get || request.Method == HttpMethod.Head ? "pull" : "pull,push");
        if (_cache.TryGetValue(scope, out var cached) && cached.Expires > time.GetUtcNow())
        {
            request.Headers.Authorization = cached.Header;
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized
            || !RegistryChallenge.TryParse(response.Headers.WwwAuthenticate.FirstOrDefault()?.ToString(), out var challenge)
            || !(challenge.IsBasic || challenge.IsBearer))
        {
            return response;
        }

        response.Dispose();
        _cache.TryRemove(scope, out _);
        var credential = await credentials.FindAsync(scope.Registry, cancellationToken);
        var authorization = challenge.IsBasic
            ? new CachedAuthorization(new AuthenticationHeaderValue("Basic", (credential ?? throw Missing(scope, 401)).BasicParameter()), DateTimeOffset.MaxValue)
            : await FetchTokenAsync(challenge, scope, credential, cancellationToken);

        request.Headers.Authorization = authorization.Header;
        var retried = await base.SendAsync(request, cancellationToken);
        if (retried.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var status = (int)retried.StatusCode;
            retried.Dispose();
            throw credential is null ? Missing(scope, status) : Refused(scope, credential, status, "");
        }

        _cache[scope] = authorization;
        return retried;
    }

    private RegistryException Missing(Scope scope, int status) => new(RegistryErrorKind.Unauthorized,
        $"registry {scope.Registry} requires credentials for {scope.What} (HTTP {status}) and none are configured: {credentials.HowToProvide(scope.Registry)}");

    private static RegistryException Refused(Scope scope, RegistryCredential credential, int status, string by) => new(RegistryErrorKind.Unauthorized,
        $"registry {scope.Registry} refused the credentials of user '{credential.Username}' for {scope.What} (HTTP {status}{by}): check {credential.Source}");

    // /v2/NAME/manifests/…, /v2/NAME/blobs/…, /v2/NAME/tags/list
    [GeneratedRegex("^/v2/(?<name>.+?)/(?:manifests|blobs|tags)/")]
    private static partial Regex RepositoryPath();

    private readonly record struct Scope(string Registry, string? Repository, string Actions)
    {
        public string What => Repository is null ? "its API" : $"repository {Repository}";
    }

    private sealed record CachedAuthorization(AuthenticationHeaderValue Header, DateTimeOffset Expires);
}
