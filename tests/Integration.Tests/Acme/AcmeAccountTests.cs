using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Agent.Acme;

namespace Fleet.Integration.Tests.Acme;

[Collection(AcmeTestGroup.Name)]
public sealed class AcmeAccountTests
{
    [Fact]
    public async Task EnsureAccountAsync_SameKeyTwice_FindsTheSameAccount()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = AcmeTestEnvironment.NewClient(AcmeTestEnvironment.PebbleDirectory);
        var account = await first.EnsureAccountAsync(["ops@example.test"], null, ct);
        var second = new AcmeClient(AcmeHttp.Create(AcmeTestEnvironment.PebbleCa, TimeSpan.FromSeconds(30)), AcmeTestEnvironment.PebbleDirectory,
            first.AccountKey, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.Equal(account, await second.EnsureAccountAsync([], null, ct));
    }

    [Fact]
    public async Task RolloverKeyAsync_NewKey_AccountKeepsWorkingWithIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = AcmeTestEnvironment.NewClient(AcmeTestEnvironment.PebbleDirectory);
        var account = await client.EnsureAccountAsync([], null, ct);
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await client.RolloverKeyAsync(newKey, ct);

        Assert.Same(newKey, client.AccountKey);
        var order = await client.NewOrderAsync(["rollover.example.test"], null, ct);
        Assert.Equal(AcmeStatus.Pending, order.Status);
        var lookup = new AcmeClient(AcmeHttp.Create(AcmeTestEnvironment.PebbleCa, TimeSpan.FromSeconds(30)), AcmeTestEnvironment.PebbleDirectory,
            newKey, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(account, await lookup.EnsureAccountAsync([], null, ct));
    }

    [Fact]
    public async Task RevokeAsync_IssuedCertificate_IsRevokedAndSecondRevocationRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = AcmeTestEnvironment.NewClient(AcmeTestEnvironment.PebbleDirectory);
        await using var responder = AcmeTestEnvironment.NewResponder();
        var issued = await AcmeIssuer.IssueAsync(client, new IssueRequest(["revoke.example.test"]), new Http01Solver(responder), ct);

        await client.RevokeAsync(issued.Chain.Leaf, reason: 4, ct);

        var again = await Assert.ThrowsAsync<AcmeProblemException>(() => client.RevokeAsync(issued.Chain.Leaf, null, ct));
        Assert.Equal("alreadyRevoked", again.ShortType);
    }

    [Fact]
    public async Task DownloadCertificateAsync_PreferredAlternateRoot_ReturnsThatChain()
    {
        var ct = TestContext.Current.CancellationToken;
        var alternateRoot = await PebbleRootNameAsync(1, ct);
        var client = AcmeTestEnvironment.NewClient(AcmeTestEnvironment.PebbleDirectory);
        await using var responder = AcmeTestEnvironment.NewResponder();

        var preferred = await AcmeIssuer.IssueAsync(client, new IssueRequest(["chain.example.test"], PreferredChain: alternateRoot), new Http01Solver(responder), ct);
        var standard = await AcmeIssuer.IssueAsync(client, new IssueRequest(["chain.example.test"]), new Http01Solver(responder), ct);

        Assert.True(preferred.Chain.IsIssuedBy(alternateRoot));
        Assert.True(standard.Chain.IsIssuedBy(await PebbleRootNameAsync(0, ct)));
        Assert.False(standard.Chain.IsIssuedBy(alternateRoot));
    }

    /// <summary>The subject CN of Pebble's root number <paramref name="index"/> (management API).</summary>
    private static async Task<string> PebbleRootNameAsync(int index, CancellationToken ct)
    {
        var management = new Uri(new Uri(AcmeTestEnvironment.Require("FLEET_TEST_PEBBLE_MANAGEMENT")), $"/roots/{index}");
        using var http = AcmeHttp.Create(AcmeTestEnvironment.PebbleCa, TimeSpan.FromSeconds(10));
        var root = X509Certificate2.CreateFromPem(await http.GetStringAsync(management, ct));
        return root.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
    }
}
