using Fleet.Agent.Acme;
using Fleet.Agent.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fleet.Agent.Tests.Acme;

public sealed class AcmeRegistrationTests
{
    [Fact]
    public void AddAcme_ValidSection_ResolvesRenewalAndBindsDeclarations()
    {
        using var provider = Build(new()
        {
            ["Certificates:Items:0:Name"] = "web",
            ["Certificates:Items:0:Domains:0"] = "web.example.test",
            ["Certificates:Items:0:Reload:Container"] = "nginx",
        });

        Assert.NotNull(provider.GetRequiredService<CertificateRenewal>());
        var item = Assert.Single(provider.GetRequiredService<IOptions<CertificatesOptions>>().Value.Items);
        Assert.Equal(["web.example.test"], item.Domains);
        Assert.Equal("SIGHUP", item.Reload.Signal);
        Assert.Equal(ChallengeDeclaration.Http01, item.Challenge.Type);
    }

    [Fact]
    public void AddAcme_InvalidSection_FailsValidationWithTheReason()
    {
        using var provider = Build(new() { ["Certificates:Items:0:Name"] = "Bad Name" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CertificatesOptions>>().Value);

        Assert.Contains("Certificates:Items 'Bad Name': at least one domain is required.", error.Failures);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddSingleton(new EventOutbox(Path.Combine(Path.GetTempPath(), "fleet-acme-unused")))
            .AddAcme(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
