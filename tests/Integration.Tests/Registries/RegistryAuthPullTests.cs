using Docker.DotNet;
using Docker.DotNet.Models;
using Fleet.Agent.Deploy;
using Fleet.Agent.Registries;
using Fleet.Core.Releases;
using Fleet.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Testing;

namespace Fleet.Integration.Tests.Registries;

/// <summary>The agent's pulls through the real Docker engine from real registries that want credentials.</summary>
public sealed class RegistryAuthPullTests(AuthenticatedRegistries registries) : IClassFixture<AuthenticatedRegistries>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-registry-pull-").FullName;
    private readonly FakeLogger<RegistryPullAuthorizer> _logger = new();

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task PullAsync_CredentialsInSettings_PullsByDigest(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var (address, image) = Registry(kind);
        await RemoveLocalAsync(image);
        using var runtime = Runtime(address, registries.Password);

        await runtime.PullAsync(image, new Progress<PullProgress>(), ct);

        Assert.True(image.IsMatchedBy(await runtime.GetRepoDigestsAsync(image.Pinned, ct)));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 6400 && r.Message.Contains($"as user {registries.User}", StringComparison.Ordinal));
        AssertLogsHoldNo(registries.Password);
        await RemoveLocalAsync(image);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task PullAsync_WrongPassword_ErrorNamesRegistryRepositoryAndSetting(string kind)
    {
        var (address, image) = Registry(kind);
        await RemoveLocalAsync(image);
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        using var runtime = Runtime(address, wrong);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => runtime.PullAsync(image, new Progress<PullProgress>(), TestContext.Current.CancellationToken));

        Assert.Contains($"registry {address} refused the credentials of user '{registries.User}' for repository fleet-test-private/web", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Registries:Credentials:0 in the agent's settings", ex.Message, StringComparison.Ordinal);
        RegistryAuthResolveTests.AssertNoSecret(ex.ToString(), registries.User, wrong);
        AssertLogsHoldNo(wrong);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task PullAsync_NoCredentials_ErrorSaysWhereToAddThem(string kind)
    {
        var (address, image) = Registry(kind);
        await RemoveLocalAsync(image);
        using var runtime = Runtime(registry: null, password: null);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => runtime.PullAsync(image, new Progress<PullProgress>(), TestContext.Current.CancellationToken));

        Assert.Contains($"registry {address} requires credentials for repository fleet-test-private/web", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"add {{\"Registry\": \"{address}\"", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private (string Address, ImageReference Image) Registry(string kind)
    {
        var (address, reference) = kind == "basic" ? (registries.Basic, registries.BasicImage) : (registries.Token, registries.TokenImage);
        Assert.True(ImageReference.TryParse(reference, out var image, out var error), error);
        return (address, image);
    }

    private DockerContainerRuntime Runtime(string? registry, string? password)
    {
        var options = new RegistriesOptions();
        if (registry is not null)
        {
            var file = Path.Combine(_folder, "password");
            File.WriteAllText(file, password + "\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            options.Credentials.Add(new RegistryCredentialSettings { Registry = registry, Username = registries.User, PasswordFile = file });
        }

        var credentials = new AgentRegistryCredentials(Microsoft.Extensions.Options.Options.Create(options));
        return new DockerContainerRuntime(new RegistryPullAuthorizer(credentials, TimeProvider.System, _logger));
    }

    private void AssertLogsHoldNo(string password)
    {
        foreach (var record in _logger.Collector.GetSnapshot())
        {
            RegistryAuthResolveTests.AssertNoSecret($"{record.Message} {record.Exception}", registries.User, password);
        }
    }

    // The image must come from the registry, not from an earlier test's local copy.
    private static async Task RemoveLocalAsync(ImageReference image)
    {
        using var configuration = new DockerClientConfiguration(new Uri(TestEnvironment.Require("DOCKER_HOST", "Docker engine")));
        using var docker = configuration.CreateClient();
        try
        {
            await docker.Images.DeleteImageAsync(image.Pinned, new ImageDeleteParameters { Force = true });
        }
        catch (DockerImageNotFoundException)
        {
        }
    }
}
