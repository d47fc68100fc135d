using System.Text;
using Fleet.Cli.Registries;

namespace Fleet.Cli.Tests.Registries;

public sealed class DockerConfigCredentialsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fleetctl-docker-config-").FullName;
    private readonly Dictionary<string, string?> _environment = [];

    public DockerConfigCredentialsTests() => _environment["DOCKER_CONFIG"] = _folder;

    private string ConfigPath => Path.Combine(_folder, "config.json");

    [Fact]
    public async Task FindAsync_AuthsBase64_UserAndPasswordWithColon()
    {
        Write("""{"auths":{"127.0.0.1:5001":{"auth":"AUTH"}}}""".Replace("AUTH", Base64("ci:pa:ss"), StringComparison.Ordinal));

        var credential = await Find("127.0.0.1:5001");

        Assert.Equal(("ci", "pa:ss"), (credential!.Username, credential.Password));
        Assert.Contains(ConfigPath, credential.Source, StringComparison.Ordinal);
        Assert.Contains("docker login 127.0.0.1:5001", credential.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("pa:ss", credential.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_DockerHubUrlKeyAndUsernamePasswordFields_FoundForDockerIo()
    {
        Write("""{"auths":{"https://index.docker.io/v1/":{"username":"me","password":"tok"}}}""");

        var credential = await Find("docker.io");

        Assert.Equal(("me", "tok"), (credential!.Username, credential.Password));
    }

    [Fact]
    public async Task FindAsync_OtherRegistryOrNoFile_Anonymous()
    {
        Assert.Null(await Find("ghcr.io"));

        Write("""{"auths":{"ghcr.io":{"auth":"eDp5"}}}""");

        Assert.Null(await Find("127.0.0.1:5001"));
    }

    [Fact]
    public async Task FindAsync_CredHelper_RunsItWithTheRegistryOnStdin()
    {
        Helper("fake", """
            read server
            [ "$1" = get ] || exit 2
            printf '{"ServerURL":"%s","Username":"helper-%s","Secret":"from-helper"}' "$server" "$server"
            """);
        Write("""{"auths":{"127.0.0.1:5001":{"auth":"eDp5"}},"credHelpers":{"127.0.0.1:5001":"fake"}}""");

        var credential = await Find("127.0.0.1:5001");

        Assert.Equal(("helper-127.0.0.1:5001", "from-helper"), (credential!.Username, credential.Password));
        Assert.Contains("docker-credential-fake", credential.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_CredsStoreWithoutTheRegistry_FallsBackToAuths()
    {
        Helper("empty", "echo 'credentials not found in native keychain'; exit 1");
        Write("""{"credsStore":"empty","auths":{"127.0.0.1:5001":{"auth":"AUTH"}}}""".Replace("AUTH", Base64("ci:pw"), StringComparison.Ordinal));

        Assert.Equal("ci", (await Find("127.0.0.1:5001"))!.Username);
    }

    [Fact]
    public async Task FindAsync_HelperFailsOrMissing_ErrorNamesTheHelperNotItsOutput()
    {
        Helper("broken", "echo 'secret-looking output'; exit 3");
        Write("""{"credHelpers":{"a.example":"broken","b.example":"absent"}}""");

        var failed = await Assert.ThrowsAsync<CliException>(() => Find("a.example"));
        var missing = await Assert.ThrowsAsync<CliException>(() => Find("b.example"));

        Assert.Contains("docker-credential-broken failed with exit code 3", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-looking", failed.Message, StringComparison.Ordinal);
        Assert.Contains("docker-credential-absent is not on the PATH", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_ExplicitFileMissing_Error()
    {
        var credentials = DockerConfigCredentials.For(Path.Combine(_folder, "absent.json"), _environment);

        var ex = await Assert.ThrowsAsync<CliException>(() => credentials.FindAsync("ghcr.io", TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("--registry-credentials", ex.Message, StringComparison.Ordinal);
        Assert.Contains("absent.json does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_IdentityTokenOnly_ClearError()
    {
        Write("""{"auths":{"x.azurecr.io":{"identitytoken":"eyJhbGciOi"}}}""");

        var ex = await Assert.ThrowsAsync<CliException>(() => Find("x.azurecr.io"));

        Assert.Contains("identity token", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJhbGciOi", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HowToProvide_DefaultConfig_SaysDockerLoginAndTheOption() =>
        Assert.Equal(
            $"run docker login ghcr.io (it writes {ConfigPath}), or pass --registry-credentials FILE",
            DockerConfigCredentials.For(null, _environment).HowToProvide("ghcr.io"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<Core.Registries.RegistryCredential?> Find(string registry) =>
        DockerConfigCredentials.For(null, _environment).FindAsync(registry, TestContext.Current.CancellationToken).AsTask();

    private void Write(string json) => File.WriteAllText(ConfigPath, json);

    private void Helper(string name, string script)
    {
        var bin = Path.Combine(_folder, "bin");
        Directory.CreateDirectory(bin);
        var path = Path.Combine(bin, "docker-credential-" + name);
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _environment["PATH"] = bin;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
