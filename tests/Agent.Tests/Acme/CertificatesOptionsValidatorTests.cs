using Fleet.Agent.Acme;

namespace Fleet.Agent.Tests.Acme;

public sealed class CertificatesOptionsValidatorTests
{
    private readonly CertificatesOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(_validator.Validate(null, new CertificatesOptions()).Succeeded);
    }

    [Fact]
    public void Validate_Dns01WithoutServerZoneOrKey_ReportsBoth()
    {
        var options = new CertificatesOptions
        {
            Items = [new CertificateDeclaration { Name = "web", Domains = ["a.example.test"], Challenge = new ChallengeDeclaration { Type = "dns-01" } }],
        };

        var result = _validator.Validate(null, options);

        Assert.Equal(
            ["Certificates:Items 'web': dns-01 needs Challenge:Server as ip:port.",
             "Certificates:Items 'web': dns-01 needs Challenge:Zone, Challenge:TsigKeyName and Challenge:TsigSecretFile."],
            result.Failures);
    }

    [Fact]
    public void Validate_WildcardOverHttp01DuplicateNameAndBadSignal_ReportsEveryProblem()
    {
        var item = new CertificateDeclaration
        {
            Name = "web",
            Domains = ["*.example.test", "bad domain"],
            Reload = new ReloadDeclaration { Container = "nginx", Signal = "HUP" },
        };
        var options = new CertificatesOptions { DirectoryUrl = new Uri("http://ca.test/dir"), Items = [item, item] };

        var failures = _validator.Validate(null, options).Failures!.ToList();

        Assert.Contains("Certificates:DirectoryUrl must be an https URL.", failures);
        Assert.Contains("Certificates:Items: the name 'web' is declared twice.", failures);
        Assert.Contains("Certificates:Items 'web': 'bad domain' is not a DNS name.", failures);
        Assert.Contains("Certificates:Items 'web': wildcard domains need the dns-01 challenge.", failures);
        Assert.Contains("Certificates:Items 'web': reload signal 'HUP' is not a known signal name.", failures);
    }

    [Fact]
    public void Validate_UnknownChallenge_IsRefused()
    {
        var options = new CertificatesOptions
        {
            Items = [new CertificateDeclaration { Name = "x", Domains = ["x.test"], Challenge = new ChallengeDeclaration { Type = "tls-alpn-01" } }],
        };

        Assert.Equal(["Certificates:Items 'x': challenge type 'tls-alpn-01' is not http-01 or dns-01."], _validator.Validate(null, options).Failures);
    }

    [Fact]
    public void Validate_ReloadServiceNotAppSlashServiceOrWithContainer_Refused()
    {
        var options = new CertificatesOptions
        {
            FirstCheckDelay = TimeSpan.FromHours(2),
            Items =
            [
                new CertificateDeclaration { Name = "a", Domains = ["a.example.test"], Reload = new ReloadDeclaration { Service = "web" } },
                new CertificateDeclaration { Name = "b", Domains = ["b.example.test"], Reload = new ReloadDeclaration { Service = "shop/web", Container = "nginx" } },
            ],
        };

        Assert.Equal(
            ["Certificates:FirstCheckDelay must be between 0 and 1 hour.",
             "Certificates:Items 'a': reload service 'web' is not APP/SERVICE.",
             "Certificates:Items 'b': set at most one of Reload:Service and Reload:Container."],
            _validator.Validate(null, options).Failures);
    }
}
