using System.Net;
using System.Text;
using Fleet.Core.Registries;
using Fleet.Core.Releases;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Core.Tests.Registries;

// The protocol logic against a scripted registry and token server; the real ones are in
// Integration.Tests/Registries.
public sealed class RegistryAuthHandlerTests : IDisposable
{
    private const string Manifest = "http://127.0.0.1:5000/v2/shop/web/manifests/1.0";
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedRegistry _registry = new();

    [Fact]
    public async Task SendAsync_TokenExpired_FetchesANewOne()
    {
        using var http = Client(credential: null);
        var ct = TestContext.Current.CancellationToken;

        (await http.GetAsync(Manifest, ct)).Dispose();
        _time.Advance(TimeSpan.FromSeconds(49));
        (await http.GetAsync(Manifest, ct)).Dispose();
        Assert.Equal(1, _registry.TokenRequests);

        _time.Advance(TimeSpan.FromSeconds(2)); // 60 s lifetime, dropped 10 s early
        (await http.GetAsync(Manifest, ct)).Dispose();
        Assert.Equal(2, _registry.TokenRequests);
    }

    [Fact]
    public async Task SendAsync_Credential_TokenRequestCarriesBasicAndAccount()
    {
        using var http = Client(new RegistryCredential("ci", "s3cret", "test"));

        using var response = await http.GetAsync(Manifest, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:s3cret")), _registry.TokenAuthorization);
        Assert.Contains("account=ci", _registry.TokenQuery, StringComparison.Ordinal);
        Assert.Contains("scope=repository%3Ashop%2Fweb%3Apull", _registry.TokenQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_CredentialForPlainHttpRealmElsewhere_RefusedBeforeSending()
    {
        _registry.Realm = "http://auth.example.com/token";
        using var http = Client(new RegistryCredential("ci", "s3cret", "test"));

        var ex = await Assert.ThrowsAsync<RegistryException>(() => http.GetAsync(Manifest, TestContext.Current.CancellationToken));

        Assert.Equal(RegistryErrorKind.Unauthorized, ex.Kind);
        Assert.Contains("plain http", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _registry.TokenRequests);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _registry.Dispose();

    private HttpClient Client(RegistryCredential? credential) =>
        new(new RegistryAuthHandler(new FixedCredentials(credential), _time) { InnerHandler = _registry });

    private sealed class FixedCredentials(RegistryCredential? credential) : IRegistryCredentials
    {
        public ValueTask<RegistryCredential?> FindAsync(string registry, CancellationToken cancellationToken) => ValueTask.FromResult(credential);

        public string HowToProvide(string registry) => "add some";
    }

    // A registry in token mode and its token server (60 s tokens, the specification's default).
    private sealed class ScriptedRegistry : HttpMessageHandler
    {
        public string Realm { get; set; } = "http://127.0.0.1:5001/token";

        public int TokenRequests { get; private set; }

        public string? TokenAuthorization { get; private set; }

        public string TokenQuery { get; private set; } = "";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/token")
            {
                TokenRequests++;
                TokenAuthorization = request.Headers.Authorization?.ToString();
                TokenQuery = request.RequestUri.Query;
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent($"{{\"token\":\"t{TokenRequests}\"}}"),
                });
            }

            if (request.Headers.Authorization is { Scheme: "Bearer" })
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
            }

            var challenge = new HttpResponseMessage(HttpStatusCode.Unauthorized);
            challenge.Headers.TryAddWithoutValidation("WWW-Authenticate", $"Bearer realm=\"{Realm}\",service=\"test\"");
            return Task.FromResult(challenge);
        }
    }
}
