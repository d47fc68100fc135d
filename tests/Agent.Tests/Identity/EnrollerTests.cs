using Fleet.Agent.Identity;
using Fleet.Agent.Tests.Support;
using Fleet.Contracts.V1;

namespace Fleet.Agent.Tests.Identity;

public sealed class EnrollerTests : IDisposable
{
    internal const string Token = "fleet_join_0123456789abcdef_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    private readonly TempDir _dir = new();
    private readonly TestCa _ca = new(DateTimeOffset.UtcNow);

    public void Dispose()
    {
        _ca.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task EnrollAsync_ControllerIssues_WritesIdentityWithRequestedNameLabelsAndPins()
    {
        var client = new FakeEnrollmentClient(_ca);

        var result = await new Enroller(client).EnrollAsync(Request(), TestContext.Current.CancellationToken);

        var identity = new IdentityStore(StateDir).Load();
        Assert.Equal("agent-42", result.AgentId);
        Assert.Equal("agent-42", identity.Config.AgentId);
        Assert.Equal("web-1", identity.Config.Name);
        Assert.Equal([_ca.Pin], identity.Config.CaPins);
        Assert.Equal("staging", identity.Config.Labels["env"]);
        Assert.Equal("staging", client.Received!.Labels["env"]);
        Assert.Equal(Token, client.Received.JoinToken);
        Assert.True(identity.Certificate.HasPrivateKey);
    }

    [Fact]
    public async Task EnrollAsync_TokenRefused_ThrowsControllerReasonAndWritesNothing()
    {
        var client = new FakeEnrollmentClient(_ca) { Failure = new EnrollmentException("the controller refused the join token: join token already used") };

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => new Enroller(client).EnrollAsync(Request(), TestContext.Current.CancellationToken));

        Assert.Contains("already used", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(StateDir));
    }

    [Fact]
    public async Task EnrollAsync_IdentityExistsWithoutForce_RefusesBeforeCallingController()
    {
        var client = new FakeEnrollmentClient(_ca);
        await new Enroller(client).EnrollAsync(Request(), TestContext.Current.CancellationToken);
        var before = File.ReadAllText(Path.Combine(StateDir, IdentityStore.KeyFile));
        client.Calls = 0;

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => new Enroller(client).EnrollAsync(Request(), TestContext.Current.CancellationToken));

        Assert.Contains("--force", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.Calls);
        Assert.Equal(before, File.ReadAllText(Path.Combine(StateDir, IdentityStore.KeyFile)));
    }

    [Fact]
    public async Task EnrollAsync_IdentityExistsWithForce_ReplacesIt()
    {
        var client = new FakeEnrollmentClient(_ca);
        await new Enroller(client).EnrollAsync(Request(), TestContext.Current.CancellationToken);

        await new Enroller(client).EnrollAsync(Request() with { Name = "web-2", Force = true }, TestContext.Current.CancellationToken);

        Assert.Equal("web-2", new IdentityStore(StateDir).Load().Config.Name);
    }

    [Theory]
    [InlineData("Web-1")]
    [InlineData("-web")]
    [InlineData("web_1")]
    [InlineData("")]
    public async Task EnrollAsync_BadName_RefusesWithoutCallingControllerOrWriting(string name)
    {
        var client = new FakeEnrollmentClient(_ca);

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => new Enroller(client).EnrollAsync(Request() with { Name = name }, TestContext.Current.CancellationToken));

        Assert.Contains("agent name", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.Calls);
        Assert.False(Directory.Exists(StateDir));
    }

    [Fact]
    public async Task EnrollAsync_BadLabel_RefusesWithoutCallingController()
    {
        var client = new FakeEnrollmentClient(_ca);
        var labels = new Dictionary<string, string> { ["Env"] = "x" };

        await Assert.ThrowsAsync<EnrollmentException>(() => new Enroller(client).EnrollAsync(Request() with { Labels = labels }, TestContext.Current.CancellationToken));

        Assert.Equal(0, client.Calls);
        Assert.False(Directory.Exists(StateDir));
    }

    [Fact]
    public async Task EnrollAsync_BundleMatchesNoPin_RefusesAndWritesNothing()
    {
        using var otherCa = new TestCa(DateTimeOffset.UtcNow);
        var client = new FakeEnrollmentClient(_ca);

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => new Enroller(client).EnrollAsync(Request() with { CaPins = [otherCa.Pin] }, TestContext.Current.CancellationToken));

        Assert.Contains("matches none of the pins", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(StateDir));
    }

    [Fact]
    public async Task EnrollAsync_CertificateForAnotherKey_RefusesAndWritesNothing()
    {
        var client = new FakeEnrollmentClient(_ca) { IssueForOtherKey = true };

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => new Enroller(client).EnrollAsync(Request(), TestContext.Current.CancellationToken));

        Assert.Contains("different key", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(StateDir));
    }

    [Fact]
    public async Task EnrollAsync_StateDirNotWritable_RefusesBeforeSpendingTheToken()
    {
        var blocker = _dir.Combine("file");
        File.WriteAllText(blocker, "not a folder");
        var client = new FakeEnrollmentClient(_ca);

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => new Enroller(client).EnrollAsync(Request() with { StateDir = Path.Combine(blocker, "state") }, TestContext.Current.CancellationToken));

        Assert.Contains("cannot write the identity", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, client.Calls);
    }

    [Fact]
    public async Task EnrollAsync_ThreePins_Refused()
    {
        var pins = new[] { "sha256:" + new string('a', 64), "sha256:" + new string('b', 64), "sha256:" + new string('c', 64) };

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => new Enroller(new FakeEnrollmentClient(_ca)).EnrollAsync(Request() with { CaPins = pins }, TestContext.Current.CancellationToken));

        Assert.Contains("at most two", error.Message, StringComparison.Ordinal);
    }

    private string StateDir => _dir.Combine("state");

    private EnrollmentRequest Request() => new(
        new Uri("https://127.0.0.1:7443"),
        Token,
        [_ca.Pin],
        "web-1",
        new Dictionary<string, string> { ["env"] = "staging" },
        StateDir,
        Force: false);

    private sealed class FakeEnrollmentClient(TestCa ca) : IEnrollmentClient
    {
        public EnrollmentException? Failure { get; init; }

        public bool IssueForOtherKey { get; init; }

        public EnrollRequest? Received { get; private set; }

        public int Calls { get; set; }

        public Task<EnrollResponse> EnrollAsync(Uri controller, IReadOnlyList<string> caPins, EnrollRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            Received = request;
            if (Failure is not null)
            {
                throw Failure;
            }

            var csr = request.CsrDer.ToByteArray();
            if (IssueForOtherKey)
            {
                using var other = new KeyAndRequest("web-1");
                csr = other.CsrDer;
            }

            var now = DateTimeOffset.UtcNow;
            return Task.FromResult(new EnrollResponse
            {
                AgentId = "agent-42",
                CertificatePem = ca.Issue(csr, now.AddMinutes(-1), now.AddHours(1)),
                CaBundlePem = ca.BundlePem,
            });
        }
    }
}
