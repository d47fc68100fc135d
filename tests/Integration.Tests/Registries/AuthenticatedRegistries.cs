using System.Text;
using System.Text.Json;
using Fleet.Core.Registries;
using Fleet.Integration.Tests.Infrastructure;
using Fleet.Integration.Tests.Releases;

namespace Fleet.Integration.Tests.Registries;

/// <summary>
/// The two registries scripts/services/registry-auth.sh starts: htpasswd Basic, and token mode behind
/// its test token server, both accepting one user. Tests push repositories of their own through
/// <see cref="BasicPush"/> and <see cref="TokenPush"/>, which authenticate with that user.
/// </summary>
public sealed class AuthenticatedRegistries : IDisposable
{
    public AuthenticatedRegistries()
    {
        const string Service = "registry with credentials (scripts/services/registry-auth.sh)";
        Basic = TestEnvironment.Require("FLEET_TEST_BASIC_REGISTRY", Service);
        Token = TestEnvironment.Require("FLEET_TEST_TOKEN_REGISTRY", Service);
        TokenServer = new Uri(TestEnvironment.Require("FLEET_TEST_TOKEN_SERVER", Service));
        User = TestEnvironment.Require("FLEET_TEST_REGISTRY_USER", Service);
        Password = TestEnvironment.Require("FLEET_TEST_REGISTRY_PASSWORD", Service);
        BasicImage = TestEnvironment.Require("FLEET_TEST_BASIC_REGISTRY_IMAGE", Service);
        TokenImage = TestEnvironment.Require("FLEET_TEST_TOKEN_REGISTRY_IMAGE", Service);
        var pusher = new Credentials(new RegistryCredential(User, Password, "the test"));
        BasicPush = new RegistryFixture(Basic, RegistryAuthHandler.CreateClient(pusher, TimeProvider.System, TimeSpan.FromSeconds(30)));
        TokenPush = new RegistryFixture(Token, RegistryAuthHandler.CreateClient(pusher, TimeProvider.System, TimeSpan.FromSeconds(30)));
    }

    public string Basic { get; }

    public string Token { get; }

    public Uri TokenServer { get; }

    public string User { get; }

    public string Password { get; }

    /// <summary>A runnable image (busybox httpd) in each registry, pinned by digest.</summary>
    public string BasicImage { get; }

    public string TokenImage { get; }

    public RegistryFixture BasicPush { get; }

    public RegistryFixture TokenPush { get; }

    /// <summary>How many tokens the token server has handed out for <paramref name="scope"/> (e.g. repository:NAME:pull).</summary>
    public async Task<int> TokenRequestsAsync(string scope, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(TokenServer, "/requests"), cancellationToken));
        return document.RootElement.EnumerateArray()
            .Count(r => r.GetProperty("scopes").EnumerateArray().Any(s => s.GetString() == scope));
    }

    /// <summary>A docker config.json with an auths entry for each registry given, as docker login writes it.</summary>
    public static string DockerConfig(string user, string password, params string[] registries) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["auths"] = registries.ToDictionary(r => r, _ => new Dictionary<string, string>
            {
                ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")),
            }),
        });

    public void Dispose()
    {
        BasicPush.Dispose();
        TokenPush.Dispose();
    }

    /// <summary>One credential for every registry.</summary>
    internal sealed class Credentials(RegistryCredential? credential) : IRegistryCredentials
    {
        public ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken cancellationToken) => ValueTask.FromResult(credential);

        public string HowToProvide(string registry) => "give the test a credential";
    }
}
