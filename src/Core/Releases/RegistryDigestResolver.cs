using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Fleet.Core.Registries;

namespace Fleet.Core.Releases;

/// <summary>
/// Resolves image tags to content digests through the OCI distribution API
/// (<c>/v2/&lt;name&gt;/manifests/&lt;tag&gt;</c>). It asks with HEAD and takes
/// <c>Docker-Content-Digest</c>; when a registry gives no digest on HEAD, it GETs the manifest and
/// hashes the bytes itself (refusing a body that does not match an announced digest). Loopback
/// registries are spoken to over http, all others over https. Give it an HttpClient over a
/// <see cref="RegistryAuthHandler"/> for registries that want a token or credentials.
/// </summary>
public sealed class RegistryDigestResolver(HttpClient http)
{
    /// <summary>Largest manifest read on GET, in bytes.</summary>
    public const int MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>A copy of <paramref name="release"/> with every image pinned by digest.</summary>
    public async Task<ReleaseDefinition> PinAsync(ReleaseDefinition release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        var pinned = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in release.Images().Select(i => i.Image).Distinct(StringComparer.Ordinal))
        {
            pinned[image] = await ResolveAsync(image, cancellationToken);
        }

        return release.WithImages(pinned);
    }

    /// <summary>Returns <c>name@sha256:…</c> for <paramref name="image"/>; an image already pinned is returned pinned as is.</summary>
    public async Task<string> ResolveAsync(string image, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(image, out var reference, out var error))
        {
            throw new ArgumentException(error, nameof(image));
        }

        if (reference.Digest is { } digest)
        {
            return reference.WithDigest(digest);
        }

        return reference.WithDigest(await ResolveDigestAsync(reference, headFirst: true, cancellationToken));
    }

    internal async Task<string> ResolveDigestAsync(ImageReference reference, bool headFirst, CancellationToken cancellationToken)
    {
        var tag = reference.Tag ?? "latest";
        var url = ManifestUrl(reference, tag);
        if (headFirst)
        {
            using var head = await SendAsync(HttpMethod.Head, url, reference, cancellationToken);
            if (head.StatusCode == HttpStatusCode.OK && AnnouncedDigest(head) is { } announced)
            {
                return announced;
            }
        }

        using var get = await SendAsync(HttpMethod.Get, url, reference, cancellationToken);
        if (get.StatusCode != HttpStatusCode.OK)
        {
            throw await FailureAsync(get, reference, tag, cancellationToken);
        }

        var mediaType = get.Content.Headers.ContentType?.MediaType;
        if (!ManifestMediaTypes.All.Contains(mediaType, StringComparer.Ordinal))
        {
            throw new RegistryException(RegistryErrorKind.UnexpectedResponse,
                $"{reference.Name}:{tag}: the registry answered with media type '{mediaType}', not an OCI or Docker v2 manifest");
        }

        var body = await ReadCappedAsync(get.Content, cancellationToken);
        var computed = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        if (AnnouncedDigest(get) is { } header && header != computed)
        {
            throw new RegistryException(RegistryErrorKind.DigestMismatch,
                $"{reference.Name}:{tag}: the registry announced {header} but the manifest hashes to {computed}");
        }

        return computed;
    }

    private static Uri ManifestUrl(ImageReference reference, string tag) =>
        new(RegistryHost.BaseUri(reference.Registry), $"/v2/{reference.Repository}/manifests/{Uri.EscapeDataString(tag)}");

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, ImageReference reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        foreach (var type in ManifestMediaTypes.All)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new RegistryException(RegistryErrorKind.Unreachable, $"cannot reach registry {reference.Registry}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(RegistryErrorKind.Unreachable, $"registry {reference.Registry} did not answer in time", ex);
        }
    }

    private static string? AnnouncedDigest(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values)
            && values.FirstOrDefault() is { } value
            && value.StartsWith("sha256:", StringComparison.Ordinal) && value.Length == 71
                ? value
                : null;

    private async Task<RegistryException> FailureAsync(
        HttpResponseMessage response, ImageReference reference, string tag, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // A challenge the auth handler could answer never gets here: this is a plain refusal.
            return new RegistryException(RegistryErrorKind.Unauthorized,
                $"registry {reference.Registry} refused access to repository {reference.Repository} (HTTP {status})");
        }

        var codes = await ErrorCodesAsync(response.Content, cancellationToken);
        if (codes.Contains("NAME_UNKNOWN"))
        {
            return RepositoryNotFound(reference);
        }

        if (codes.Contains("MANIFEST_UNKNOWN") || response.StatusCode == HttpStatusCode.NotFound)
        {
            // Some registries (distribution 2.x) say MANIFEST_UNKNOWN for a missing repository
            // too; the tag list tells the two apart and shows the operator what does exist.
            var tagsUrl = new Uri(ManifestUrl(reference, tag), $"/v2/{reference.Repository}/tags/list?n=10");
            using var tags = await SendAsync(HttpMethod.Get, tagsUrl, reference, cancellationToken);
            if (tags.StatusCode == HttpStatusCode.NotFound)
            {
                return RepositoryNotFound(reference);
            }

            var known = tags.IsSuccessStatusCode ? await TagNamesAsync(tags.Content, cancellationToken) : [];
            return new RegistryException(RegistryErrorKind.TagNotFound,
                $"tag '{tag}' does not exist in {reference.Name}" + (known.Count > 0 ? $" (tags there include: {string.Join(", ", known)})" : ""));
        }

        return new RegistryException(RegistryErrorKind.UnexpectedResponse,
            $"registry {reference.Registry} answered HTTP {status} for {reference.Name}:{tag}");
    }

    private static RegistryException RepositoryNotFound(ImageReference reference) =>
        new(RegistryErrorKind.RepositoryNotFound, $"repository '{reference.Repository}' does not exist on registry {reference.Registry}");

    private static async Task<List<string>> TagNamesAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await ReadCappedAsync(content, cancellationToken));
            return [.. document.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString() ?? "").Take(10)];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or RegistryException)
        {
            return [];
        }
    }

    private static async Task<HashSet<string>> ErrorCodesAsync(HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await ReadCappedAsync(content, cancellationToken));
            return [.. document.RootElement.GetProperty("errors").EnumerateArray()
                .Select(e => e.GetProperty("code").GetString() ?? "")];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or RegistryException)
        {
            return [];
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxManifestBytes)
            {
                throw new RegistryException(RegistryErrorKind.UnexpectedResponse, $"the registry sent more than {MaxManifestBytes} bytes for a manifest");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
