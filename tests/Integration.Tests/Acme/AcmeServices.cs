using Fleet.Agent.Acme;
using Fleet.Agent.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Integration.Tests.Acme;

/// <summary>The agent's ACME feature as AddAcme registers it, configured for one certificate against the real Pebble.</summary>
internal sealed class AcmeServices : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public AcmeServices(string stateDirectory, Uri directory, CertificateDeclarationConfig certificate, string http01Listen)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Certificates:DirectoryUrl"] = directory.AbsoluteUri,
            ["Certificates:DirectoryTrustFile"] = AcmeTestEnvironment.PebbleCa,
            ["Certificates:StateDirectory"] = stateDirectory,
            ["Certificates:Http01Listen"] = http01Listen,
            ["Certificates:FailureBackoff"] = "01:00:00",
        };
        foreach (var (key, value) in certificate.Settings)
        {
            settings["Certificates:Items:0:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Outbox = new EventOutbox(stateDirectory);
        _provider = new ServiceCollection().AddLogging().AddSingleton(Outbox).AddAcme(configuration).BuildServiceProvider(validateScopes: true);
    }

    /// <summary>Where the certificate reports go, as on a real agent.</summary>
    public EventOutbox Outbox { get; }

    public CertificateRenewal Renewal => _provider.GetRequiredService<CertificateRenewal>();

    public CertificateInventory Inventory => _provider.GetRequiredService<CertificateInventory>();

    public CertificateInstaller Installer => _provider.GetRequiredService<CertificateInstaller>();

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}

/// <summary>Flat "Items:0:*" configuration keys for one declaration.</summary>
internal sealed record CertificateDeclarationConfig(IReadOnlyDictionary<string, string?> Settings)
{
    public static CertificateDeclarationConfig Http01(string name, string domain, params string[] reloadCommand) =>
        new(WithCommand(new Dictionary<string, string?> { ["Name"] = name, ["Domains:0"] = domain, ["Challenge:Type"] = "http-01" }, reloadCommand));

    public static CertificateDeclarationConfig Dns01(string name, string domain, string secretFile) =>
        new(new Dictionary<string, string?>
        {
            ["Name"] = name,
            ["Domains:0"] = domain,
            ["Challenge:Type"] = "dns-01",
            ["Challenge:Server"] = AcmeTestEnvironment.DnsServer.ToString(),
            ["Challenge:Zone"] = AcmeTestEnvironment.DnsZone,
            ["Challenge:TsigKeyName"] = AcmeTestEnvironment.Tsig.Name,
            ["Challenge:TsigSecretFile"] = secretFile,
        });

    private static Dictionary<string, string?> WithCommand(Dictionary<string, string?> settings, string[] command)
    {
        for (var i = 0; i < command.Length; i++)
        {
            settings["Reload:Command:" + i] = command[i];
        }

        return settings;
    }
}
