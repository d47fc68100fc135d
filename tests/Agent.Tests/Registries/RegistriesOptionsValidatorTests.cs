using Fleet.Agent.Deploy;
using Fleet.Agent.Registries;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Tests.Registries;

public sealed class RegistriesOptionsValidatorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-registries-").FullName;

    [Fact]
    public void Validate_PrivateFiles_Succeeds()
    {
        var result = new RegistriesOptionsValidator().Validate(null, Options(
            Entry("ghcr.io", Secret("ghcr", "token\n")),
            Entry("127.0.0.1:5001", Secret("local", "pw")),
            Entry("europe-docker.pkg.dev", Secret("gcr.json", "{\"type\": \"service_account\"}"), "_json_key")));

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_ManyMistakes_ReportsEveryOne()
    {
        var readable = Secret("readable", "pw");
        File.SetUnixFileMode(readable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var result = new RegistriesOptionsValidator().Validate(null, Options(
            Entry("https://ghcr.io/v2", Secret("a", "pw")),
            Entry("docker.io", readable),
            Entry("index.docker.io", Path.Combine(_folder, "absent")),
            Entry("ghcr.io", "relative/file", username: "")));

        Assert.False(result.Succeeded);
        var failures = string.Join("\n", result.Failures!);
        Assert.Contains("Registries:Credentials:0:Registry 'https://ghcr.io/v2' must be a registry host[:port]", failures, StringComparison.Ordinal);
        Assert.Contains("Registries:Credentials:1:PasswordFile", failures, StringComparison.Ordinal);
        Assert.Contains("run chmod 600", failures, StringComparison.Ordinal);
        Assert.Contains("Registries:Credentials:2:Registry 'index.docker.io' has credentials twice", failures, StringComparison.Ordinal);
        Assert.Contains("absent does not exist", failures, StringComparison.Ordinal);
        Assert.Contains("Registries:Credentials:3:Username is required", failures, StringComparison.Ordinal);
        Assert.Contains("Registries:Credentials:3:PasswordFile must be an absolute path", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void AddDeploy_BadRegistriesSection_FailsAtStart()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Deploy:JournalPath"] = Path.Combine(_folder, "journal.json"),
            ["Registries:Credentials:0:Registry"] = "ghcr.io",
            ["Registries:Credentials:0:Username"] = "ci",
            ["Registries:Credentials:0:PasswordFile"] = Path.Combine(_folder, "absent"),
        }).Build());
        services.AddLogging();
        services.AddDeploy();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RegistriesOptions>>().Value);

        Assert.Contains("Registries:Credentials:0:PasswordFile", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_EntryForTheRegistry_PasswordWithoutTrailingNewline()
    {
        var credentials = new AgentRegistryCredentials(Microsoft.Extensions.Options.Options.Create(Options(
            Entry("docker.io", Secret("hub", "hub-token\n")), Entry("127.0.0.1:5001", Secret("local", "pw-7f3a\r\n")))));
        var ct = TestContext.Current.CancellationToken;

        var hub = await credentials.FindAsync("docker.io", ct);
        var local = await credentials.FindAsync("127.0.0.1:5001", ct);

        Assert.Equal(("ci", "hub-token"), (hub!.Username, hub.Password));
        Assert.Equal("pw-7f3a", local!.Password);
        Assert.Null(await credentials.FindAsync("ghcr.io", ct));
        Assert.Contains("Registries:Credentials:1", local.Source, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-7f3a", local.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindAsync_FileOpenedToOthersSinceStart_RefusedNamingTheRegistry()
    {
        var file = Secret("late", "pw");
        var credentials = new AgentRegistryCredentials(Microsoft.Extensions.Options.Options.Create(Options(Entry("ghcr.io", file))));
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.OtherRead);

        var ex = await Assert.ThrowsAsync<Core.Releases.RegistryException>(() => credentials.FindAsync("ghcr.io", TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("registry ghcr.io", ex.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HowToProvide_NamesTheSettingAndTheRegistry() =>
        Assert.Contains("\"Registry\": \"ghcr.io\"", new AgentRegistryCredentials(Microsoft.Extensions.Options.Options.Create(new RegistriesOptions())).HowToProvide("ghcr.io"), StringComparison.Ordinal);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static RegistriesOptions Options(params RegistryCredentialSettings[] entries) => new() { Credentials = [.. entries] };

    private static RegistryCredentialSettings Entry(string registry, string passwordFile, string username = "ci") =>
        new() { Registry = registry, Username = username, PasswordFile = passwordFile };

    private string Secret(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
