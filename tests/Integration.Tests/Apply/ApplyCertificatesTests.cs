using Fleet.Agent.Acme;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;

namespace Fleet.Integration.Tests.Apply;

/// <summary>A release's certificates: declared on the host once the release serves, not before and not when it fails.</summary>
public sealed class ApplyCertificatesTests
{
    [Fact]
    public async Task HandleAsync_ReleaseWithCertificates_DeclaredOnlyOnceItServes()
    {
        await using var h = new ApplyHarness();
        var good = WithCertificate(h.Manifest(1, ApplyHarness.Image("FLEET_TEST_IMAGE_GOOD")), "shop-web");
        var bad = WithCertificate(h.Manifest(2, ApplyHarness.Image("FLEET_TEST_IMAGE_BAD")), "other");
        var releases = h.Get<ReleaseCertificates>();
        Assert.Empty(releases.Current);

        var applied = await h.HandleAsync(h.Apply(good, h.Sign(good, "alice")));
        var failed = await h.HandleAsync(h.Apply(bad, h.Sign(bad, "alice")));

        Assert.Contains(applied, e => e.Kind == AgentEventKind.Healthy);
        Assert.Contains(failed, e => e.Kind == AgentEventKind.Failed);
        var declared = Assert.Single(h.Get<CertificateRenewal>().Declarations());
        Assert.Equal("shop-web", declared.Name);
        Assert.Equal($"{h.App}/web", declared.Reload.Service);
        Assert.Equal(["shop.example.test"], declared.Domains);
    }

    private static ReleaseManifest WithCertificate(ReleaseManifest manifest, string name) =>
        ReleaseManifest.Create(
            manifest.Release with
            {
                Certificates =
                [
                    new CertificateSpec
                    {
                        Name = name,
                        Domains = ["shop.example.test"],
                        Challenge = new CertificateChallengeSpec { Type = CertificateChallengeType.Http01 },
                        Reload = new CertificateReloadSpec { Service = "web" },
                    },
                ],
            },
            "staging",
            manifest.Sequence,
            TimeProvider.System.GetUtcNow(),
            TimeSpan.FromHours(1));
}
