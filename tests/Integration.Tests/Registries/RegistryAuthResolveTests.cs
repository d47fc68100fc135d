using System.Text;
using Fleet.Cli.Registries;
using Fleet.Core.Registries;
using Fleet.Core.Releases;
using Fleet.Integration.Tests.Foundation;
using Fleet.Integration.Tests.Releases;

namespace Fleet.Integration.Tests.Registries;

/// <summary>fleetctl's tag-to-digest resolution against real registries that want credentials.</summary>
public sealed class RegistryAuthResolveTests(AuthenticatedRegistries registries) : IClassFixture<AuthenticatedRegistries>, IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("fleet-registry-auth-").FullName;

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task ResolveAsync_CredentialsFromDockerConfig_PinsToManifestDigest(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var (address, push) = Registry(kind);
        var repository = RegistryFixture.NewRepository("private");
        var digest = await push.PushImageAsync(repository, "1.0", RegistryFixture.OciManifest, ct);
        WriteDockerConfig(registries.User, registries.Password, address);
        using var http = Client();

        var pinned = await new RegistryDigestResolver(http).ResolveAsync($"{address}/{repository}:1.0", ct);

        Assert.Equal($"{address}/{repository}@{digest}", pinned);
    }

    [Fact]
    public async Task ResolveAsync_TwoTagsOfOneRepository_OneTokenRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = RegistryFixture.NewRepository("cached");
        await registries.TokenPush.PushImageAsync(repository, "1.0", RegistryFixture.OciManifest, ct);
        await registries.TokenPush.PushImageAsync(repository, "2.0", RegistryFixture.DockerManifest, ct);
        WriteDockerConfig(registries.User, registries.Password, registries.Token);
        using var http = Client();
        var resolver = new RegistryDigestResolver(http);

        await resolver.ResolveAsync($"{registries.Token}/{repository}:1.0", ct);
        await resolver.ResolveAsync($"{registries.Token}/{repository}:2.0", ct);

        Assert.Equal(1, await registries.TokenRequestsAsync($"repository:{repository}:pull", ct));
    }

    [Fact]
    public async Task ResolveAsync_PublicRepositoryWithoutCredentials_AnonymousTokenPins()
    {
        var ct = TestContext.Current.CancellationToken;
        var repository = $"fleet-test-public/web-{Guid.NewGuid():N}";
        var digest = await registries.TokenPush.PushImageAsync(repository, "1.0", RegistryFixture.OciManifest, ct);
        using var http = Client(); // no docker config at all

        var pinned = await new RegistryDigestResolver(http).ResolveAsync($"{registries.Token}/{repository}:1.0", ct);

        Assert.Equal($"{registries.Token}/{repository}@{digest}", pinned);
        Assert.Equal(1, await registries.TokenRequestsAsync($"repository:{repository}:pull", ct));
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task Deploy_WrongPassword_ErrorNamesRegistryRepositoryAndConfigNeverThePassword(string kind)
    {
        var (address, _) = Registry(kind);
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        WriteDockerConfig(registries.User, wrong, address);

        var result = await DeployAsync($"{address}/fleet-test-private/web:1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            $"registry {address} refused the credentials of user '{registries.User}' for repository fleet-test-private/web (HTTP 401",
            result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"in {Path.Combine(_home, ".docker", "config.json")} (or run docker login {address})", result.Stderr, StringComparison.Ordinal);
        AssertNoSecret(result.ToString(), registries.User, wrong);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task Deploy_NoCredentials_ErrorSaysDockerLoginOrTheOption(string kind)
    {
        var (address, _) = Registry(kind);

        var result = await DeployAsync($"{address}/fleet-test-private/web:1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"registry {address} requires credentials for repository fleet-test-private/web (HTTP 401) and none are configured", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"run docker login {address}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--registry-credentials FILE", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_RegistryCredentialsFileWithRightPassword_GetsPastResolution()
    {
        var file = Path.Combine(_home, "ci-registries.json");
        File.WriteAllText(file, AuthenticatedRegistries.DockerConfig(registries.User, registries.Password, registries.Basic));

        var result = await DeployAsync($"{registries.Basic}/fleet-test-private/web:1", "--registry-credentials", file);

        // Resolved and pinned; what fails now is the controller this test has not logged in to.
        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("cannot resolve image digests", result.Stderr, StringComparison.Ordinal);
        AssertNoSecret(result.ToString(), registries.User, registries.Password);
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);

    /// <summary>Neither the password nor the Basic header made of it.</summary>
    internal static void AssertNoSecret(string text, string user, string password)
    {
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")), text, StringComparison.Ordinal);
    }

    private (string Address, RegistryFixture Push) Registry(string kind) =>
        kind == "basic" ? (registries.Basic, registries.BasicPush) : (registries.Token, registries.TokenPush);

    private Dictionary<string, string?> Environment => new() { ["HOME"] = _home };

    private HttpClient Client() =>
        RegistryAuthHandler.CreateClient(DockerConfigCredentials.For(null, Environment), TimeProvider.System, TimeSpan.FromSeconds(30));

    private void WriteDockerConfig(string user, string password, string registry)
    {
        Directory.CreateDirectory(Path.Combine(_home, ".docker"));
        File.WriteAllText(Path.Combine(_home, ".docker", "config.json"), AuthenticatedRegistries.DockerConfig(user, password, registry));
    }

    private async Task<CliResult> DeployAsync(string image, params string[] extra)
    {
        var file = Path.Combine(_home, "fleet.yaml");
        File.WriteAllText(file, $"app: shop\nservices:\n  web:\n    image: {image}\n");
        return await new FleetCli(_home).RunAsync(["deploy", "-f", file, "--env", "staging", .. extra]);
    }
}
