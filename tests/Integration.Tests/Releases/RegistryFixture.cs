using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Fleet.Integration.Tests.Releases;

/// <summary>
/// A real OCI registry (docker-registry) from FLEET_TEST_REGISTRY, with images pushed through
/// its HTTP API: blob uploads and manifest PUTs, as a docker client would do, without a Docker engine.
/// </summary>
public sealed class RegistryFixture : IDisposable
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    public RegistryFixture()
        : this(
            Environment.GetEnvironmentVariable("FLEET_TEST_REGISTRY") is { Length: > 0 } address
                ? address
                : throw new InvalidOperationException(
                    "FLEET_TEST_REGISTRY is not set: run the tests through ./scripts/test.sh, which starts a registry (scripts/services/registry.sh)"),
            new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
    {
    }

    /// <summary>Another registry, reached through <paramref name="http"/> (e.g. one that answers its credentials).</summary>
    internal RegistryFixture(string address, HttpClient http)
    {
        Address = address;
        Http = http;
    }

    /// <summary>host:port of the registry, e.g. 127.0.0.1:5000.</summary>
    public string Address { get; }

    public HttpClient Http { get; }

    /// <summary>A repository name no other test uses.</summary>
    public static string NewRepository(string prefix) => $"fleet-tests/{prefix}-{Guid.NewGuid():N}";

    /// <summary>Pushes a one-layer image manifest of <paramref name="mediaType"/> under <paramref name="tag"/>; returns the manifest's digest.</summary>
    public async Task<string> PushImageAsync(string repository, string tag, string mediaType, CancellationToken cancellationToken)
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var layer = RandomNumberGenerator.GetBytes(64);
        var configType = mediaType == DockerManifest ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json";
        var layerType = mediaType == DockerManifest ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar+gzip";
        var manifest =
            $"{{\"schemaVersion\":2,\"mediaType\":\"{mediaType}\"," +
            $"\"config\":{Descriptor(configType, config)}," +
            $"\"layers\":[{Descriptor(layerType, layer)}]}}";
        await PushBlobAsync(repository, config, cancellationToken);
        await PushBlobAsync(repository, layer, cancellationToken);
        return await PushManifestAsync(repository, tag, mediaType, Encoding.UTF8.GetBytes(manifest), cancellationToken);
    }

    /// <summary>Pushes an OCI index pointing at <paramref name="manifestDigest"/>; returns the index's digest.</summary>
    public async Task<string> PushIndexAsync(string repository, string tag, string manifestDigest, int manifestSize, CancellationToken cancellationToken)
    {
        var index =
            $"{{\"schemaVersion\":2,\"mediaType\":\"{OciIndex}\",\"manifests\":[{{\"mediaType\":\"{OciManifest}\"," +
            $"\"digest\":\"{manifestDigest}\",\"size\":{manifestSize},\"platform\":{{\"architecture\":\"amd64\",\"os\":\"linux\"}}}}]}}";
        return await PushManifestAsync(repository, tag, OciIndex, Encoding.UTF8.GetBytes(index), cancellationToken);
    }

    public async Task<byte[]> GetManifestBytesAsync(string repository, string reference, string mediaType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Address}/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        using var response = await Http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    public static string DigestOf(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private async Task PushBlobAsync(string repository, byte[] content, CancellationToken cancellationToken)
    {
        using var start = await Http.PostAsync(new Uri($"http://{Address}/v2/{repository}/blobs/uploads/"), null, cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = new Uri(new Uri($"http://{Address}"), start.Headers.Location!);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await Http.PutAsync(new Uri($"{location}{separator}digest={Uri.EscapeDataString(DigestOf(content))}"), body, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    private async Task<string> PushManifestAsync(string repository, string tag, string mediaType, byte[] manifest, CancellationToken cancellationToken)
    {
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var put = await Http.PutAsync(new Uri($"http://{Address}/v2/{repository}/manifests/{tag}"), body, cancellationToken);
        Assert.True(put.StatusCode == HttpStatusCode.Created, $"manifest PUT answered {(int)put.StatusCode}: {await put.Content.ReadAsStringAsync(cancellationToken)}");
        Assert.Equal(DigestOf(manifest), put.Headers.GetValues("Docker-Content-Digest").Single());
        return DigestOf(manifest);
    }

    private static string Descriptor(string mediaType, byte[] content) =>
        $"{{\"mediaType\":\"{mediaType}\",\"digest\":\"{DigestOf(content)}\",\"size\":{content.Length}}}";

    public void Dispose() => Http.Dispose();
}
