using Fleet.Core.Releases;

namespace Fleet.Core.Tests.Releases;

public sealed class ReleaseFileCertificatesTests
{
    private const string Services = """
        app: shop
        services:
          web:
            image: 127.0.0.1:5000/shop/web:1.0

        """;

    [Fact]
    public void Parse_Http01AndDns01_ReadWithDefaults()
    {
        var release = ReleaseFile.Parse(Services + """
            certificates:
              - name: shop-web
                domains: [shop.example.com, www.shop.example.com]
                challenge:
                  type: http-01
                reload:
                  service: web
              - name: wildcard
                domains: ["*.example.com"]
                key_type: rsa-2048
                challenge:
                  type: dns-01
                  server: 192.0.2.53:53
                  zone: example.com
                  tsig_key_name: fleet-acme
                  tsig_secret_file: /etc/fleet/tsig.key
                reload:
                  command: ["/usr/sbin/nginx", "-s", "reload"]
                  command_timeout: 30s
            """);

        var web = release.Certificates![0];
        Assert.Equal(["shop.example.com", "www.shop.example.com"], web.Domains);
        Assert.Equal(CertificateChallengeType.Http01, web.Challenge.Type);
        Assert.Equal(CertificateKeyKind.EcdsaP256, web.KeyType);
        Assert.Equal("web", web.Reload.Service);
        Assert.Equal("SIGHUP", web.Reload.Signal);
        var wildcard = release.Certificates[1];
        Assert.Equal(CertificateKeyKind.Rsa2048, wildcard.KeyType);
        Assert.Equal(new CertificateChallengeSpec
        {
            Type = CertificateChallengeType.Dns01, Server = "192.0.2.53:53", Zone = "example.com", TsigKeyName = "fleet-acme", TsigSecretFile = "/etc/fleet/tsig.key",
        }, wildcard.Challenge);
        Assert.Equal(TimeSpan.FromSeconds(30), wildcard.Reload.CommandTimeout);
    }

    [Fact]
    public void Parse_NoCertificates_NullSoTheManifestIsUnchanged()
    {
        var release = ReleaseFile.Parse(Services);

        Assert.Null(release.Certificates);
        var json = System.Text.Encoding.UTF8.GetString(ReleaseManifest.Create(release, "staging", 1, DateTimeOffset.UnixEpoch, TimeSpan.FromDays(1)).ToCanonicalJson());
        Assert.DoesNotContain("certificates", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TsigSecretInTheRelease_RefusedPointingToAFile()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse(Services + """
            certificates:
              - name: api
                domains: [api.example.com]
                challenge:
                  type: dns-01
                  server: 192.0.2.53:53
                  zone: example.com
                  tsig_key_name: fleet-acme
                  tsig_secret: c2VjcmV0
                  tsig_secret_file: /etc/fleet/tsig.key
            """));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("certificates.api.challenge.tsig_secret", error.Path);
        Assert.Contains("tsig_secret_file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ManyMistakes_EachNamesItsField()
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse(Services + """
            certificates:
              - name: Bad_Name
                domains: []
                challenge:
                  type: http-01
                  zone: example.com
              - name: wild
                domains: ["*.example.com", "not a domain"]
                challenge:
                  type: http-01
                reload:
                  service: api
                  signal: SIGKILL
              - name: dns
                domains: [dns.example.com]
                challenge:
                  type: dns-01
                  server: ns.example.com
                  tsig_secret_file: relative/tsig.key
              - name: dns
                domains: [other.example.com]
                challenge: {type: tls-alpn-01}
              - name: nochallenge
                domains: [x.example.com]
                reload: {service: web, container: nginx, command_timeout: 2h}
            """));

        Assert.Equal(
            [
                "certificates.Bad_Name.challenge.zone", "certificates.Bad_Name.domains", "certificates.Bad_Name.name",
                "certificates.dns", "certificates.dns.challenge.server", "certificates.dns.challenge.tsig_key_name",
                "certificates.dns.challenge.tsig_secret_file", "certificates.dns.challenge.type", "certificates.dns.challenge.zone",
                "certificates.nochallenge.challenge", "certificates.nochallenge.reload", "certificates.nochallenge.reload.command_timeout",
                "certificates.wild.domains[0]", "certificates.wild.domains[1]", "certificates.wild.reload.service", "certificates.wild.reload.signal",
            ],
            ex.Errors.Select(e => e.Path).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "certificates.wild.domains[0]" && e.Message.Contains("dns-01", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "certificates.wild.reload.service" && e.Message.Contains("'api'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Path == "certificates.dns" && e.Message.Contains("more than once", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("certificates: {}", "certificates")]
    [InlineData("certificates:\n  - name: a\n    domains: [a.example.com]\n    challenge: {type: http-01}\n    renew: daily", "certificates[0].renew")]
    public void Parse_WrongShape_Refused(string section, string path)
    {
        var ex = Assert.Throws<ReleaseValidationException>(() => ReleaseFile.Parse(Services + section));

        Assert.Equal(path, Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public void ManifestRoundTrip_Certificates_Preserved()
    {
        var release = ReleaseFile.Parse(Services + """
            certificates:
              - name: shop-web
                domains: [shop.example.com]
                challenge: {type: http-01}
                reload: {container: nginx, signal: SIGUSR1}
            """);
        var manifest = ReleaseManifest.Create(release, "staging", 3, DateTimeOffset.UnixEpoch, TimeSpan.FromDays(1));

        var parsed = ReleaseManifest.Parse(manifest.ToCanonicalJson());

        var certificate = Assert.Single(parsed.Release.Certificates!);
        Assert.Equal("nginx", certificate.Reload.Container);
        Assert.Equal("SIGUSR1", certificate.Reload.Signal);
        Assert.Equal(["shop.example.com"], certificate.Domains);
    }
}
