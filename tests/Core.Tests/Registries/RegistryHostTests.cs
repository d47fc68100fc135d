using Fleet.Core.Registries;

namespace Fleet.Core.Tests.Registries;

public sealed class RegistryHostTests
{
    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("index.docker.io", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("docker.io", "docker.io")]
    [InlineData("GHCR.io", "ghcr.io")]
    [InlineData("http://127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData("https://europe-docker.pkg.dev/v2/", "europe-docker.pkg.dev")]
    public void Normalize_NamesAndUrls_HostAndPort(string server, string expected) =>
        Assert.Equal(expected, RegistryHost.Normalize(server));

    [Theory]
    [InlineData("docker.io", "https://registry-1.docker.io/")]
    [InlineData("ghcr.io", "https://ghcr.io/")]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("[::1]:5000", "http://[::1]:5000/")]
    public void BaseUri_Registry_HttpOnlyForLoopback(string registry, string expected) =>
        Assert.Equal(expected, RegistryHost.BaseUri(registry).ToString());
}
