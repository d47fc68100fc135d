using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Fleet.Core.Releases;

namespace Fleet.Core.Registries;

// The token half of the flow (distribution's "token authentication specification").
public sealed partial class RegistryAuthHandler
{
    private const int MaxTokenResponseBytes = 64 * 1024;

    // The specification's default when the token server gives no expires_in, and its floor.
    private static readonly TimeSpan MinimumTokenLifetime = TimeSpan.FromSeconds(60);

    private async Task<CachedAuthorization> FetchTokenAsync(
        RegistryChallenge challenge, Scope scope, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(challenge.Parameter("realm"), UriKind.Absolute, out var realm) || realm.Scheme is not ("https" or "http"))
        {
            throw new RegistryException(RegistryErrorKind.UnexpectedResponse,
                $"registry {scope.Registry} asked for a token without a usable realm URL (for {scope.What})");
        }

        if (credential is not null && realm.Scheme == "http" && !RegistryHost.IsLoopback(realm.Authority))
        {
            throw new RegistryException(RegistryErrorKind.Unauthorized,
                $"registry {scope.Registry} sends credentials to the token server {realm.GetLeftPart(UriPartial.Path)} over plain http; refused (for {scope.What})");
        }

        var query = new List<string>();
        if (challenge.Parameter("service") is { } service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        var requested = challenge.Parameter("scope") ?? (scope.Repository is null ? null : $"repository:{scope.Repository}:{scope.Actions}");
        if (requested is not null)
        {
            query.AddRange(requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => "scope=" + Uri.EscapeDataString(s)));
        }

        if (credential is not null)
        {
            query.Add("account=" + Uri.EscapeDataString(credential.Username));
        }

        var url = new UriBuilder(realm) { Query = string.Join('&', new[] { realm.Query.TrimStart('?') }.Where(q => q.Length > 0).Concat(query)) }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credential.BasicParameter());
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException(RegistryErrorKind.Unreachable,
                $"cannot reach the token server {realm.GetLeftPart(UriPartial.Path)} of registry {scope.Registry}: {ex.Message}", ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw credential is null ? Missing(scope, status) : Refused(scope, credential, status, $" from its token server {realm.Authority}");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryException(RegistryErrorKind.UnexpectedResponse,
                    $"the token server {realm.GetLeftPart(UriPartial.Path)} of registry {scope.Registry} answered HTTP {status} for {scope.What}");
            }

            return await ReadTokenAsync(response.Content, scope, realm, cancellationToken);
        }
    }

    private async Task<CachedAuthorization> ReadTokenAsync(HttpContent content, Scope scope, Uri realm, CancellationToken cancellationToken)
    {
        var received = time.GetUtcNow();
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            var body = new byte[MaxTokenResponseBytes + 1];
            var length = await stream.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken);
            if (length > MaxTokenResponseBytes)
            {
                throw new JsonException("the answer is too large");
            }

            using var document = JsonDocument.Parse(body.AsMemory(0, length));
            var root = document.RootElement;
            var token = (root.TryGetProperty("token", out var t) ? t : root.GetProperty("access_token")).GetString();
            if (string.IsNullOrEmpty(token))
            {
                throw new JsonException("the token is empty");
            }

            var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds)
                ? TimeSpan.FromSeconds(Math.Max(seconds, MinimumTokenLifetime.TotalSeconds))
                : MinimumTokenLifetime;
            return new CachedAuthorization(new AuthenticationHeaderValue("Bearer", token), received + lifetime - ExpiryMargin);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // The message names what was wrong with the answer, never the answer (it may hold a token).
            throw new RegistryException(RegistryErrorKind.UnexpectedResponse,
                $"the token server {realm.GetLeftPart(UriPartial.Path)} of registry {scope.Registry} gave no usable token for {scope.What}", ex);
        }
    }
}
