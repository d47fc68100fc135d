using System.Net;
using System.Net.Sockets;
using Fleet.Core.Releases;

namespace Fleet.Integration.Tests.Releases;

public sealed class RegistryDigestResolverTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly RegistryDigestResolver _resolver = new(registry.Http);

    [Theory]
    [InlineData(RegistryFixture.OciManifest)]
    [InlineData(RegistryFixture.DockerManifest)]
    public async Task ResolveAsync_PushedTag_PinsToManifestDigest(string mediaType)
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = RegistryFixture.NewRepository("web");
        var digest = await registry.PushImageAsync(repository, "1.0", mediaType, ct);

        var pinned = await _resolver.ResolveAsync($"{registry.Address}/{repository}:1.0", ct);

        Assert.Equal($"{registry.Address}/{repository}@{digest}", pinned);
    }

    [Fact]
    public async Task ResolveAsync_TagOfOciIndex_PinsToIndexDigest()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = RegistryFixture.NewRepository("multi");
        var manifestDigest = await registry.PushImageAsync(repository, "amd64", RegistryFixture.OciManifest, ct);
        var size = (await registry.GetManifestBytesAsync(repository, manifestDigest, RegistryFixture.OciManifest, ct)).Length;
        var indexDigest = await registry.PushIndexAsync(repository, "2.0", manifestDigest, size, ct);

        var pinned = await _resolver.ResolveAsync($"{registry.Address}/{repository}:2.0", ct);

        Assert.Equal($"{registry.Address}/{repository}@{indexDigest}", pinned);
    }

    [Fact]
    public async Task ResolveDigestAsync_ByGet_HashesBodyToTheSameDigest()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = RegistryFixture.NewRepository("get");
        var digest = await registry.PushImageAsync(repository, "1.0", RegistryFixture.OciManifest, ct);
        Assert.True(ImageReference.TryParse($"{registry.Address}/{repository}:1.0", out var reference, out _));

        Assert.Equal(digest, await _resolver.ResolveDigestAsync(reference, headFirst: false, ct));
    }

    [Fact]
    public async Task ResolveAsync_NoTag_ResolvesLatest()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = RegistryFixture.NewRepository("latest");
        var digest = await registry.PushImageAsync(repository, "latest", RegistryFixture.OciManifest, ct);

        Assert.EndsWith("@" + digest, await _resolver.ResolveAsync($"{registry.Address}/{repository}", ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_UnknownTag_TagNotFoundListingExistingTags()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = RegistryFixture.NewRepository("tags");
        await registry.PushImageAsync(repository, "1.0", RegistryFixture.OciManifest, ct);

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _resolver.ResolveAsync($"{registry.Address}/{repository}:9.9", ct));

        Assert.Equal(RegistryErrorKind.TagNotFound, ex.Kind);
        Assert.Contains("tag '9.9' does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1.0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_UnknownRepository_RepositoryNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = RegistryFixture.NewRepository("absent");

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _resolver.ResolveAsync($"{registry.Address}/{repository}:1.0", ct));

        Assert.Equal(RegistryErrorKind.RepositoryNotFound, ex.Kind);
        Assert.Contains(repository, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_NothingListening_Unreachable()
    {
        var ct = TestContext.Current.CancellationToken;
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var ex = await Assert.ThrowsAsync<RegistryException>(() => _resolver.ResolveAsync($"127.0.0.1:{port}/shop/web:1.0", ct));

        Assert.Equal(RegistryErrorKind.Unreachable, ex.Kind);
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PinAsync_ReleaseFile_EveryServiceAndHookImagePinned()
    {
        var ct = TestContext.Current.CancellationToken;
        var web = RegistryFixture.NewRepository("web");
        var tools = RegistryFixture.NewRepository("tools");
        var webDigest = await registry.PushImageAsync(web, "1.4.2", RegistryFixture.OciManifest, ct);
        var toolsDigest = await registry.PushImageAsync(tools, "3", RegistryFixture.DockerManifest, ct);
        var release = ReleaseFile.Parse($"""
            app: shop
            services:
              web:
                image: {registry.Address}/{web}:1.4.2
            hooks:
              pre_deploy:
                - name: migrate
                  service: web
                  command: ["migrate"]
                - name: warm
                  image: {registry.Address}/{tools}:3
                  command: ["warm"]
            """);

        var pinned = await _resolver.PinAsync(release, ct);

        Assert.Equal($"{registry.Address}/{web}@{webDigest}", pinned.Services[0].Image);
        Assert.Equal($"{registry.Address}/{web}@{webDigest}", pinned.Hooks[0].Image);
        Assert.Equal($"{registry.Address}/{tools}@{toolsDigest}", pinned.Hooks[1].Image);
        Assert.Empty(ReleaseValidator.ValidateDefinition(pinned));
    }

    [Fact]
    public async Task ResolveAsync_AlreadyPinned_ReturnedWithoutAskingTheRegistry()
    {
        var image = "127.0.0.1:1/shop/web@sha256:" + new string('a', 64);

        Assert.Equal(image, await _resolver.ResolveAsync(image, TestContext.Current.CancellationToken));
    }
}
