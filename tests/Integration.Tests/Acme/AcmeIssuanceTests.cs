using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Acme;
using Fleet.Agent.Acme.Dns01;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fleet.Integration.Tests.Acme;

[Collection(AcmeTestGroup.Name)]
public sealed class AcmeIssuanceTests
{
    [Fact]
    public async Task IssueAsync_Http01AgainstPebble_ReturnsChainForTheDomains()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = AcmeTestEnvironment.NewClient(AcmeTestEnvironment.PebbleDirectory);
        await using var responder = AcmeTestEnvironment.NewResponder();
        await responder.StartAsync(ct);
        string[] domains = ["web.example.test", "www.example.test"];

        var issued = await AcmeIssuer.IssueAsync(client, new IssueRequest(domains), new Http01Solver(responder), ct);

        var san = issued.Chain.Leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(domains.Order(), san.EnumerateDnsNames().Order());
        Assert.True(issued.Chain.Certificates.Count >= 2, "the chain includes the intermediate");
        Assert.Contains("BEGIN PRIVATE KEY", issued.PrivateKeyPem, StringComparison.Ordinal);
        Assert.NotNull(issued.Chain.Leaf.GetECDsaPublicKey());
    }

    [Fact]
    public async Task IssueAsync_Rsa2048_IssuesRsaCertificate()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = AcmeTestEnvironment.NewClient(AcmeTestEnvironment.PebbleDirectory);
        await using var responder = AcmeTestEnvironment.NewResponder();
        await responder.StartAsync(ct);

        var issued = await AcmeIssuer.IssueAsync(client, new IssueRequest(["rsa.example.test"], CertificateKeyType.Rsa2048), new Http01Solver(responder), ct);

        Assert.Equal(2048, issued.Chain.Leaf.GetRSAPublicKey()!.KeySize);
    }

    [Fact]
    public async Task IssueAsync_HalfOfNoncesRejected_StillSucceeds()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = AcmeTestEnvironment.NewClient(AcmeTestEnvironment.PebbleNonce50Directory);
        await using var responder = AcmeTestEnvironment.NewResponder();
        await responder.StartAsync(ct);

        var issued = await AcmeIssuer.IssueAsync(client, new IssueRequest(["nonce.example.test"]), new Http01Solver(responder), ct);

        Assert.Equal("nonce.example.test", issued.Chain.Leaf.GetNameInfo(X509NameType.DnsName, forIssuer: false));
    }

    [Fact]
    public async Task IssueAsync_AuthorizationStillValid_ReusesItWithoutAChallenge()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = AcmeTestEnvironment.NewClient(AcmeTestEnvironment.PebbleNonce50Directory); // reuses authorizations always
        await using var responder = AcmeTestEnvironment.NewResponder();
        await AcmeIssuer.IssueAsync(client, new IssueRequest(["reuse.example.test"]), new Http01Solver(responder), ct);

        var again = await AcmeIssuer.IssueAsync(client, new IssueRequest(["reuse.example.test"]), new RefusingSolver(), ct);

        Assert.Equal("reuse.example.test", again.Chain.Leaf.GetNameInfo(X509NameType.DnsName, forIssuer: false));
    }

    [Fact]
    public async Task IssueAsync_ResponderDown_FailsNamingTheValidationError()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = AcmeTestEnvironment.NewClient(AcmeTestEnvironment.PebbleDirectory);
        // The responder answers, but on a port Pebble does not validate against: nobody answers there.
        await using var elsewhere = AcmeTestEnvironment.NewResponder(AcmeTestEnvironment.FreePort());

        var error = await Assert.ThrowsAsync<AcmeProblemException>(() =>
            AcmeIssuer.IssueAsync(client, new IssueRequest(["down.example.test"]), new Http01Solver(elsewhere), ct));

        Assert.Contains("http-01 validation", error.Message, StringComparison.Ordinal);
        Assert.Contains("down.example.test", error.Message, StringComparison.Ordinal);
        Assert.Equal("connection", error.ShortType);
    }

    [Fact]
    public async Task IssueAsync_Dns01ThroughBind_IssuesAndRemovesTxtRecord()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = AcmeTestEnvironment.NewClient(AcmeTestEnvironment.PebbleDnsDirectory);
        var probe = new DnsTxtProbe(AcmeTestEnvironment.DnsServer, TimeProvider.System);
        var updates = new DnsUpdateClient(AcmeTestEnvironment.DnsServer, AcmeTestEnvironment.DnsZone, AcmeTestEnvironment.Tsig, TimeProvider.System);
        var domain = AcmeTestEnvironment.UniqueName("dns");
        var solver = new RecordingSolver(new Dns01Solver(updates, probe, NullLogger.Instance));

        var issued = await AcmeIssuer.IssueAsync(client, new IssueRequest([domain]), solver, ct);

        Assert.Equal(domain, issued.Chain.Leaf.GetNameInfo(X509NameType.DnsName, forIssuer: false));
        var (name, value) = Assert.Single(solver.Presented);
        Assert.False(await probe.HasTxtAsync(name, value, ct), "the TXT record is removed after validation");
    }

    private sealed class RefusingSolver : IChallengeSolver
    {
        public string ChallengeType => "http-01";

        public Task<IAsyncDisposable> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a valid authorization should have been reused");
    }

    /// <summary>Remembers which TXT records the DNS-01 solver published.</summary>
    private sealed class RecordingSolver(IChallengeSolver inner) : IChallengeSolver
    {
        public List<(string Name, string Value)> Presented { get; } = [];

        public string ChallengeType => inner.ChallengeType;

        public Task<IAsyncDisposable> PresentAsync(string domain, string token, string keyAuthorization, CancellationToken cancellationToken)
        {
            Presented.Add((Dns01Solver.RecordName(domain), Dns01Solver.RecordValue(keyAuthorization)));
            return inner.PresentAsync(domain, token, keyAuthorization, cancellationToken);
        }
    }
}
