using Fleet.Agent.Acme;
using Fleet.Agent.Releases;
using Fleet.Core.Releases;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Agent.Tests.Acme;

public sealed class ReleaseCertificatesTests : IDisposable
{
    private readonly AcmeTestHost _host = new(new()
    {
        ["Certificates:Items:0:Name"] = "local",
        ["Certificates:Items:0:Domains:0"] = "local.example.test",
    });

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task AppliedReleaseChangedAsync_ReleaseWithCertificates_DeclaredBesideLocalAndKeptAcrossRestarts()
    {
        await _host.Get<ReleaseCertificates>().AppliedReleaseChangedAsync("shop", Manifest("shop", 4, Certificate("shop-web", reloadService: "web")), Token);

        var renewal = _host.Get<CertificateRenewal>();
        Assert.Equal(["local", "shop-web"], renewal.Declarations().Select(d => d.Name));
        var declared = renewal.Declarations()[1];
        Assert.Equal("shop/web", declared.Reload.Service);
        Assert.Equal(["shop.example.test"], declared.Domains);
        var file = Path.Combine(_host.StateDirectory, ReleaseCertificates.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var restarted = new ReleaseCertificates(
            _host.Get<Microsoft.Extensions.Options.IOptionsMonitor<CertificatesOptions>>(), _host.Get<Quartz.ISchedulerFactory>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ReleaseCertificates>.Instance);
        Assert.Equal("shop-web", Assert.Single(restarted.Current).Name);
    }

    [Fact]
    public async Task AppliedReleaseChangedAsync_NewerReleaseWithoutCertificates_ForgetsThatAppsOnly()
    {
        var releases = _host.Get<ReleaseCertificates>();
        await releases.AppliedReleaseChangedAsync("shop", Manifest("shop", 4, Certificate("shop-web")), Token);
        await releases.AppliedReleaseChangedAsync("blog", Manifest("blog", 1, Certificate("blog")), Token);

        await releases.AppliedReleaseChangedAsync("shop", Manifest("shop", 5), Token);

        Assert.Equal("blog", Assert.Single(releases.Current).Name);
    }

    [Fact]
    public async Task Declarations_ReleaseNamesALocalCertificate_LocalDeclarationWins()
    {
        await _host.Get<ReleaseCertificates>().AppliedReleaseChangedAsync("shop", Manifest("shop", 1, Certificate("local")), Token);

        var declaration = Assert.Single(_host.Get<CertificateRenewal>().Declarations());
        Assert.Equal(["local.example.test"], declaration.Domains);
    }

    [Fact]
    public void AddAcme_AgentHost_ListensToAppliedReleasesAndHandlesRenewCommands()
    {
        Assert.Contains(_host.Get<IEnumerable<IReleaseAppliedListener>>(), l => l is ReleaseCertificates);
        Assert.Contains(_host.Get<IEnumerable<Fleet.Agent.Connection.IAgentCommandHandler>>(), h => h is RenewCertificateHandler);
    }

    private static CertificateSpec Certificate(string name, string? reloadService = null) => new()
    {
        Name = name,
        Domains = ["shop.example.test"],
        Challenge = new CertificateChallengeSpec { Type = CertificateChallengeType.Http01 },
        Reload = new CertificateReloadSpec { Service = reloadService },
    };

    private static ReleaseManifest Manifest(string app, long sequence, params CertificateSpec[] certificates) => new()
    {
        Environment = "staging",
        Sequence = sequence,
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddDays(1),
        Release = new ReleaseDefinition
        {
            App = app,
            Services = [new ServiceSpec { Name = "web", Image = "127.0.0.1:5000/web@sha256:" + new string('a', 64) }],
            Certificates = certificates.Length == 0 ? null : certificates,
        },
    };
}
