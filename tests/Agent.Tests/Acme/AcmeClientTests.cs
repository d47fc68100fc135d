using System.Net;
using System.Security.Cryptography;
using Fleet.Agent.Acme;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests.Acme;

public sealed class AcmeClientTests : IDisposable
{
    private readonly FakeAcmeHandler _server = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task EnsureAccountAsync_BadNonceTwice_RetriesWithTheFreshNonces()
    {
        _server.OnPost = (_, attempt) => attempt <= 2
            ? FakeAcmeHandler.Problem("badNonce", "stale")
            : Created("account/7");
        var client = NewClient();

        var account = await client.EnsureAccountAsync(["ops@example.test"], null, TestContext.Current.CancellationToken);

        Assert.Equal(new Uri("https://ca.test/account/7"), account);
        Assert.Equal(3, _server.Posts.Count);
        Assert.Equal(3, _server.Posts.Select(p => p.Nonce).Distinct().Count());
        Assert.All(_server.Posts, p => Assert.True(p.Header.TryGetProperty("jwk", out _)));
    }

    [Fact]
    public async Task PostAsync_BadNonceEveryTime_GivesUpAfterTheLimit()
    {
        _server.OnPost = (_, _) => FakeAcmeHandler.Problem("badNonce", "stale");
        var client = NewClient();

        var error = await Assert.ThrowsAsync<AcmeProblemException>(() => client.EnsureAccountAsync([], null, TestContext.Current.CancellationToken));

        Assert.Equal("badNonce", error.ShortType);
        Assert.Equal(AcmeClient.MaxBadNonceAttempts, _server.Posts.Count);
    }

    [Fact]
    public async Task PostAsync_RateLimitedWithRetryAfter_ThrowsAtOnceCarryingTheWait()
    {
        _server.OnPost = (path, _) =>
        {
            if (path == "account")
            {
                return Created("account/1");
            }

            var response = FakeAcmeHandler.Problem("rateLimited", "too many certificates", HttpStatusCode.TooManyRequests);
            response.Headers.Add("Retry-After", "3600");
            return response;
        };
        var client = NewClient();
        await client.EnsureAccountAsync([], null, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<AcmeProblemException>(() => client.NewOrderAsync(["a.test"], null, TestContext.Current.CancellationToken));

        Assert.True(error.IsRateLimited);
        Assert.Equal(TimeSpan.FromHours(1), error.RetryAfter);
        Assert.Single(_server.Posts, p => p.Path == "order");
        Assert.Equal("ACME new order failed: rateLimited (429): too many certificates (retry after 1:00:00)", error.Message);
    }

    [Fact]
    public async Task NewOrderAsync_AfterAccount_SignsWithKidAndExactUrl()
    {
        _server.OnPost = (path, _) => path == "account"
            ? Created("account/1")
            : Created("order/9", """{"status":"pending","identifiers":[{"type":"dns","value":"a.test"}],"authorizations":["https://ca.test/authz/1"],"finalize":"https://ca.test/finalize/9"}""");
        var client = NewClient();
        await client.EnsureAccountAsync([], null, TestContext.Current.CancellationToken);

        var order = await client.NewOrderAsync(["a.test"], null, TestContext.Current.CancellationToken);

        Assert.Equal(new Uri("https://ca.test/order/9"), order.Url);
        var post = _server.Posts[^1];
        Assert.Equal("https://ca.test/account/1", post.Header.GetProperty("kid").GetString());
        Assert.Equal("https://ca.test/order", post.Header.GetProperty("url").GetString());
        Assert.False(post.Header.TryGetProperty("jwk", out _));
    }

    [Fact]
    public async Task EnsureAccountAsync_ProblemWithSubproblems_MessageNamesEachIdentifier()
    {
        _server.OnPost = (_, _) => FakeAcmeHandler.Json(HttpStatusCode.BadRequest,
            """{"type":"urn:ietf:params:acme:error:malformed","detail":"bad","subproblems":[{"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"no","identifier":{"type":"dns","value":"x.test"}}]}""",
            "application/problem+json");

        var error = await Assert.ThrowsAsync<AcmeProblemException>(() => NewClient().EnsureAccountAsync([], null, TestContext.Current.CancellationToken));

        Assert.Equal("ACME account registration failed: malformed (400): bad; x.test: rejectedIdentifier: no", error.Message);
    }

    [Fact]
    public async Task WaitForAuthorizationAsync_RetryAfterGiven_WaitsThatLongBetweenPolls()
    {
        _server.OnPost = (path, attempt) =>
        {
            if (path == "account")
            {
                return Created("account/1");
            }

            var response = FakeAcmeHandler.Json(HttpStatusCode.OK, $$"""{"identifier":{"type":"dns","value":"a.test"},"status":"{{(attempt == 1 ? "pending" : "valid")}}","challenges":[]}""");
            response.Headers.Add("Retry-After", "7");
            return response;
        };
        var client = NewClient();
        await client.EnsureAccountAsync([], null, TestContext.Current.CancellationToken);

        var wait = client.WaitForAuthorizationAsync(new Uri("https://ca.test/authz/1"), TestContext.Current.CancellationToken);
        await WaitUntil(() => _server.Posts.Count(p => p.Path == "authz/1") == 1);
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(AcmeStatus.Valid, (await wait).Status);
        Assert.Equal(2, _server.Posts.Count(p => p.Path == "authz/1"));
    }

    private AcmeClient NewClient() =>
        new(new HttpClient(_server), new Uri(FakeAcmeHandler.Base + "dir"), ECDsa.Create(ECCurve.NamedCurves.nistP256), _time, NullLogger.Instance);

    private static HttpResponseMessage Created(string location, string body = "{}")
    {
        var response = FakeAcmeHandler.Json(HttpStatusCode.Created, body);
        response.Headers.Location = new Uri(FakeAcmeHandler.Base + location);
        return response;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not reached within 10 s");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
