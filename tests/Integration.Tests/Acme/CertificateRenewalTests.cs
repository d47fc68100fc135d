using System.Runtime.Versioning;
using Fleet.Agent.Acme;

namespace Fleet.Integration.Tests.Acme;

[Collection(AcmeTestGroup.Name)]
[UnsupportedOSPlatform("windows")]
public sealed class CertificateRenewalTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("fleet-acme-").FullName;

    private static string HttpListen => $"127.0.0.1:{AcmeTestEnvironment.HttpPort}";

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task RenewAsync_Forced_ReplacesFilesAtomicallyKeepsPreviousAndRunsReload()
    {
        var ct = TestContext.Current.CancellationToken;
        var marker = Path.Combine(_state, "reloads.txt");
        await using var services = new AcmeServices(_state, AcmeTestEnvironment.PebbleDirectory,
            CertificateDeclarationConfig.Http01("web", "renew.example.test", "/bin/sh", "-c", $"echo reloaded >> '{marker}'"), HttpListen);
        var first = await services.Renewal.RenewAsync("web", force: false, ct);
        Assert.True(first.Succeeded, first.Error);
        var live = services.Installer.LiveDirectory("web");
        var oldTarget = new DirectoryInfo(live).LinkTarget!;
        var oldChain = await File.ReadAllTextAsync(Path.Combine(live, CertificateInstaller.FullChainFile), ct);

        var forced = await services.Renewal.RenewAsync("web", force: true, ct);

        Assert.True(forced.Succeeded, forced.Error);
        var newTarget = new DirectoryInfo(live).LinkTarget!;
        Assert.NotEqual(oldTarget, newTarget);
        Assert.NotEqual(oldChain, await File.ReadAllTextAsync(Path.Combine(live, CertificateInstaller.FullChainFile), ct));
        var previous = Path.Combine(services.Installer.CertificateDirectory("web"), oldTarget);
        Assert.Equal(oldChain, await File.ReadAllTextAsync(Path.Combine(previous, CertificateInstaller.FullChainFile), ct));
        Assert.Equal(SecureFileMode, File.GetUnixFileMode(Path.Combine(live, CertificateInstaller.PrivateKeyFile)));
        Assert.Equal(SecureFileMode, File.GetUnixFileMode(Path.Combine(_state, AcmeClientFactory.AccountKeyFile)));
        Assert.Equal(["reloaded", "reloaded"], await File.ReadAllLinesAsync(marker, ct));
        var status = Assert.Single(services.Inventory.Snapshot());
        Assert.Equal(["renew.example.test"], status.Domains);
        Assert.StartsWith("Pebble Intermediate", status.Issuer, StringComparison.Ordinal);
        Assert.Equal(services.Installer.Load("web")!.Leaf.NotAfter.ToUniversalTime(), status.NotAfter!.Value.UtcDateTime);
        Assert.True(status.LastRenewal!.Succeeded);
    }

    [Fact]
    public async Task RenewAsync_NotForcedAndFresh_DoesNotReissue()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var services = new AcmeServices(_state, AcmeTestEnvironment.PebbleDirectory,
            CertificateDeclarationConfig.Http01("fresh", "fresh.example.test"), HttpListen);
        await services.Renewal.RenewAsync("fresh", force: false, ct);
        var target = new DirectoryInfo(services.Installer.LiveDirectory("fresh")).LinkTarget;

        await services.Renewal.RenewDueAsync(ct);

        Assert.Equal(target, new DirectoryInfo(services.Installer.LiveDirectory("fresh")).LinkTarget);
    }

    [Fact]
    public async Task RenewAsync_ResponderNotReachable_ReportsValidationErrorAndKeepsOldCertificate()
    {
        var ct = TestContext.Current.CancellationToken;
        var declaration = CertificateDeclarationConfig.Http01("down", "down-renew.example.test");
        await using (var working = new AcmeServices(_state, AcmeTestEnvironment.PebbleDirectory, declaration, HttpListen))
        {
            var first = await working.Renewal.RenewAsync("down", force: false, ct);
            Assert.True(first.Succeeded, first.Error);
        }

        // The responder now listens elsewhere, so Pebble's validation on the real port finds nobody.
        ForgetAccount();
        await using var broken = new AcmeServices(_state, AcmeTestEnvironment.PebbleDirectory, declaration, $"127.0.0.1:{AcmeTestEnvironment.FreePort()}");
        var before = Snapshot(broken.Installer.LiveDirectory("down"));

        var result = await broken.Renewal.RenewAsync("down", force: true, ct);

        Assert.False(result.Succeeded);
        Assert.Contains("http-01 validation failed", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(broken.Installer.LiveDirectory("down")));
        var status = Assert.Single(broken.Inventory.Snapshot());
        Assert.Equal(result, status.LastRenewal);
        Assert.NotNull(status.NotAfter);
        Assert.True(status.NextAttempt >= result.At.AddHours(1), "the first failure backs off FailureBackoff (1 h here)");

        await broken.Renewal.RenewDueAsync(ct); // inside the backoff: no new attempt

        Assert.Equal(result, Assert.Single(broken.Inventory.Snapshot()).LastRenewal);
    }

    [Fact]
    public async Task RenewAsync_WrongTsigKey_ReportsRefusalAndKeepsOldCertificate()
    {
        var ct = TestContext.Current.CancellationToken;
        var secretFile = Path.Combine(_state, "tsig.secret");
        await File.WriteAllTextAsync(secretFile, Convert.ToBase64String(AcmeTestEnvironment.Tsig.Secret), ct);
        var domain = AcmeTestEnvironment.UniqueName("tsig");
        var declaration = CertificateDeclarationConfig.Dns01("dns", domain, secretFile);
        await using (var working = new AcmeServices(_state, AcmeTestEnvironment.PebbleDnsDirectory, declaration, HttpListen))
        {
            var first = await working.Renewal.RenewAsync("dns", force: false, ct);
            Assert.True(first.Succeeded, first.Error);
        }

        ForgetAccount();
        await using var services = new AcmeServices(_state, AcmeTestEnvironment.PebbleDnsDirectory, declaration, HttpListen);
        var before = Snapshot(services.Installer.LiveDirectory("dns"));
        await File.WriteAllTextAsync(secretFile, Convert.ToBase64String(new byte[32]), ct);

        var result = await services.Renewal.RenewAsync("dns", force: true, ct);

        Assert.False(result.Succeeded);
        Assert.Contains($"refused TSIG key '{AcmeTestEnvironment.Tsig.Name}': BADSIG", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(services.Installer.LiveDirectory("dns")));
    }

    private const UnixFileMode SecureFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// A new account key for the next renewal: Pebble reuses a valid authorization for the same
    /// account (half of the time), which would skip the challenge these failure tests break.
    /// </summary>
    private void ForgetAccount() => File.Delete(Path.Combine(_state, AcmeClientFactory.AccountKeyFile));

    private static (string?, string, string) Snapshot(string live) =>
        (new DirectoryInfo(live).LinkTarget,
         File.ReadAllText(Path.Combine(live, CertificateInstaller.FullChainFile)),
         File.ReadAllText(Path.Combine(live, CertificateInstaller.PrivateKeyFile)));
}
