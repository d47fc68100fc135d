using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Fleet.Agent.Acme;
using Fleet.Integration.Tests.Foundation;
using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Acme;

/// <summary>
/// Certificates across the fleet, end to end: a real controller, in-process agents with
/// agent-local declarations, the real Pebble (and BIND for DNS-01), and fleetctl.
/// </summary>
[Collection(AcmeTestGroup.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class CertificatesFleetTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    private static readonly TimeSpan Issuance = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task CertsListAndRenew_Http01FromAgentConfig_ReportedThenReplacedWithReload()
    {
        var marker = fleet.Directory.Combine("reloads-e2e.txt");
        var agent = await fleet.StartAgentAsync("certs-http", prepare: AgentCertificateSettings.Http01("web", AcmeTestEnvironment.UniqueName("e2e"), marker));

        var reported = await WaitForCertificateAsync("certs-http", "web", c => c.GetProperty("lastRenewalSucceeded").ValueKind == JsonValueKind.True);
        var firstSerial = reported.GetProperty("serial").GetString();
        Assert.Equal(InstalledSerial(agent, "web"), firstSerial);
        Assert.InRange(reported.GetProperty("daysLeft").GetInt32(), 15, 10_000);
        Assert.False(reported.GetProperty("expiringSoon").GetBoolean());
        Assert.StartsWith("Pebble Intermediate", reported.GetProperty("issuer").GetString(), StringComparison.Ordinal);
        var table = await fleet.Admin.OkAsync("certs", "list");
        Assert.Contains("certs-http", table, StringComparison.Ordinal);
        Assert.Contains($"{reported.GetProperty("daysLeft").GetInt32()}", table, StringComparison.Ordinal);

        var renewed = await fleet.Admin.JsonAsync("certs", "renew", "--agent", "certs-http", "--name", "web");

        var newSerial = renewed.GetProperty("serial").GetString();
        Assert.NotEqual(firstSerial, newSerial);
        Assert.Equal(InstalledSerial(agent, "web"), newSerial);
        Assert.Equal(["reloaded", "reloaded"], await File.ReadAllLinesAsync(marker, TestContext.Current.CancellationToken));
        await WaitForCertificateAsync("certs-http", "web", c => c.GetProperty("serial").GetString() == newSerial);
        var status = await fleet.Admin.JsonAsync("status");
        Assert.DoesNotContain(status.GetProperty("certificateProblems").EnumerateArray(), c => c.GetProperty("agent").GetString() == "certs-http");
    }

    [Fact]
    public async Task CertsRenew_WrongTsigKey_FailureReportedOldCertificateUntouched()
    {
        var domain = AcmeTestEnvironment.UniqueName("e2e-dns");
        var rightKey = await SecretFileAsync("tsig-e2e.key", AcmeTestEnvironment.Tsig.Secret);
        var wrongKey = await SecretFileAsync("tsig-e2e-wrong.key", new byte[32]);
        // A first agent obtains the certificate with the right key.
        var seed = await fleet.StartAgentAsync("certs-dns-seed", prepare: AgentCertificateSettings.Dns01("api", domain, rightKey));
        var serial = (await WaitForCertificateAsync("certs-dns-seed", "api", c => c.GetProperty("lastRenewalSucceeded").ValueKind == JsonValueKind.True))
            .GetProperty("serial").GetString();
        await seed.StopAsync();
        // The agent under test starts with that certificate installed and the wrong key. Its ACME
        // account is its own, so the CA cannot hand it the seed's valid authorization: renewing
        // must update DNS, which the wrong key cannot.
        var agent = await fleet.StartAgentAsync("certs-dns", prepare: state =>
        {
            CopyCertificate(seed.StateDirectory, state, "api");
            AgentCertificateSettings.Dns01("api", domain, wrongKey)(state);
        });
        await WaitForCertificateAsync("certs-dns", "api", c => c.GetProperty("serial").GetString() == serial);

        var result = await fleet.Admin.RunAsync("certs", "renew", "--agent", "certs-dns", "--name", "api");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("renewing api on agent 'certs-dns' failed", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("installed certificate stays", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(serial, InstalledSerial(agent, "api"));
        var failed = await WaitForCertificateAsync("certs-dns", "api", c => c.GetProperty("lastRenewalSucceeded").ValueKind == JsonValueKind.False);
        Assert.Equal(serial, failed.GetProperty("serial").GetString());
        Assert.Contains("TSIG", failed.GetProperty("lastRenewalError").GetString(), StringComparison.OrdinalIgnoreCase);
        var problem = Assert.Single((await fleet.Admin.JsonAsync("status")).GetProperty("certificateProblems").EnumerateArray(),
            c => c.GetProperty("agent").GetString() == "certs-dns");
        Assert.Equal("api", problem.GetProperty("name").GetString());
        Assert.Contains("problem: certificate certs-dns/api: last renewal failed", await fleet.Admin.OkAsync("status"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertsRenew_Refusals_ClearErrorsNothingRenewed()
    {
        var idle = fleet.Enrollment("certs-idle", await fleet.JoinTokenAsync());
        await new Fleet.Agent.Identity.Enroller().EnrollAsync(idle, CancellationToken.None);
        await fleet.StartAgentAsync("certs-none");
        await fleet.WaitForStateAsync("certs-none", "connected");
        var viewerToken = (await fleet.Admin.OkAsync("tokens", "create", "--role", "viewer")).Trim();
        var viewer = fleet.NewOperator();
        await viewer.LoginAsync(fleet.Endpoint, viewerToken);

        await RefusedAsync(fleet.Admin, "no agent is named 'ghost'", "certs", "renew", "--agent", "ghost", "--name", "web");
        await RefusedAsync(fleet.Admin, "agent 'certs-idle' is not connected", "certs", "renew", "--agent", "certs-idle", "--name", "web");
        await RefusedAsync(fleet.Admin, "No certificate named 'nope' is declared", "certs", "renew", "--agent", "certs-none", "--name", "nope");
        await RefusedAsync(viewer, "deployer", "certs", "renew", "--agent", "certs-none", "--name", "web");
        await RefusedAsync(fleet.Admin, "no agent named 'ghost'", "certs", "list", "--agent", "ghost");
        Assert.Empty((await viewer.JsonAsync("certs", "list", "--agent", "certs-none")).GetProperty("certificates").EnumerateArray());
    }

    private async Task<string> SecretFileAsync(string name, byte[] secret)
    {
        var path = fleet.Directory.Combine(name);
        await File.WriteAllTextAsync(path, Convert.ToBase64String(secret), TestContext.Current.CancellationToken);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    // cp -a keeps the live symbolic link pointing into the copied versions.
    private static void CopyCertificate(string fromState, string toState, string name)
    {
        var target = Directory.CreateDirectory(Path.Combine(toState, "certificates")).FullName;
        using var copy = System.Diagnostics.Process.Start("cp", ["-a", Path.Combine(fromState, "certificates", name), target])!;
        copy.WaitForExit();
        Assert.Equal(0, copy.ExitCode);
    }

    private static async Task RefusedAsync(FleetCli cli, string expected, params string[] args)
    {
        var result = await cli.RunAsync(args);
        Assert.True(result.ExitCode == 1 && result.Stderr.Contains(expected, StringComparison.OrdinalIgnoreCase), $"fleetctl {string.Join(' ', args)}: {result}");
    }

    private async Task<JsonElement> WaitForCertificateAsync(string agent, string name, Func<JsonElement, bool> condition) =>
        await Eventually.ReturnsAsync(
            async () => (await fleet.Admin.JsonAsync("certs", "list", "--agent", agent)).GetProperty("certificates").EnumerateArray()
                .FirstOrDefault(c => c.GetProperty("name").GetString() == name),
            c => c.ValueKind == JsonValueKind.Object && condition(c),
            Issuance,
            $"certificate {name} of {agent} in fleetctl certs list");

    private static string InstalledSerial(RunningAgent agent, string name)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(
            CertificateChain.Parse(File.ReadAllText(Path.Combine(agent.StateDirectory, "certificates", name, "live", CertificateInstaller.FullChainFile))).Leaf.RawData);
        return leaf.SerialNumber;
    }
}
