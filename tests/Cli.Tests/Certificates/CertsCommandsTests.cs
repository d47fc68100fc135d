using System.Text.Json;
using Fleet.Cli.Tests.Support;
using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;

namespace Fleet.Cli.Tests.Certificates;

public sealed class CertsCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public CertsCommandsTests()
    {
        _cli.SaveTwoContexts();
        _cli.Api.Certificates = new ListCertificatesResponse
        {
            Certificates = { Sample("web-1", "shop", days: 60), Sample("web-2", "shop", days: 5), Failed(Sample("web-2", "api", days: 40)) },
        };
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task List_Table_DaysLeftAndFlagsUnderFourteenDaysOrFailed()
    {
        Assert.Equal(0, await _cli.RunAsync("certs", "list"));

        var lines = _cli.Out.Split('\n');
        var fresh = lines.Single(l => l.Contains("web-1", StringComparison.Ordinal));
        Assert.Contains(" 60 ", fresh, StringComparison.Ordinal);
        Assert.DoesNotContain("!", fresh, StringComparison.Ordinal);
        Assert.Contains("5 !", lines.Single(l => l.Contains("web-2", StringComparison.Ordinal) && l.Contains("shop", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("failed", lines.Single(l => l.Contains("api", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_JsonForOneAgent_AsksForThatAgentAndGivesDaysLeft()
    {
        Assert.Equal(0, await _cli.RunAsync("certs", "list", "--agent", "web-2", "-o", "json"));

        Assert.Equal("web-2", Assert.IsType<ListCertificatesRequest>(Assert.Single(_cli.Api.Requests)).Agent);
        using var json = JsonDocument.Parse(_cli.Out);
        var items = json.RootElement.GetProperty("certificates").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal(5, items[1].GetProperty("daysLeft").GetInt32());
        Assert.True(items[1].GetProperty("expiringSoon").GetBoolean());
        Assert.False(items[0].GetProperty("expiringSoon").GetBoolean());
        Assert.False(items[2].GetProperty("lastRenewalSucceeded").GetBoolean());
        Assert.Equal("tsig: BADKEY", items[2].GetProperty("lastRenewalError").GetString());
        Assert.Equal("2025-03-06T12:00:00Z", items[1].GetProperty("notAfter").GetString());
    }

    [Fact]
    public async Task List_Nothing_SaysWhereToDeclare()
    {
        _cli.Api.Certificates = new ListCertificatesResponse();

        Assert.Equal(0, await _cli.RunAsync("certs", "list"));

        Assert.Contains("certificates:", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renew_AgentAndName_SentAndNewStatePrinted()
    {
        _cli.Api.Renewed = new ForceRenewalResponse { Certificate = Sample("web-1", "shop", days: 90) };

        Assert.Equal(0, await _cli.RunAsync("certs", "renew", "--agent", "web-1", "--name", "shop"));

        var request = Assert.IsType<ForceRenewalRequest>(Assert.Single(_cli.Api.Requests));
        Assert.Equal(("web-1", "shop"), (request.Agent, request.Name));
        Assert.Contains("Renewed shop on web-1: serial 0A1B", _cli.Out, StringComparison.Ordinal);
        Assert.Contains("(90 days)", _cli.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renew_WithoutName_UsageErrorNothingSent()
    {
        Assert.Equal(ExitCodes.Usage, await _cli.RunAsync("certs", "renew", "--agent", "web-1"));

        Assert.Contains("--name", _cli.Error, StringComparison.Ordinal);
        Assert.Empty(_cli.Api.Requests);
    }

    [Fact]
    public async Task Renew_ControllerRefuses_ErrorShownNonZeroExit()
    {
        _cli.Api.Failure = new CliException("agent 'web-1': No certificate named 'nope' is declared on this agent.");

        Assert.NotEqual(0, await _cli.RunAsync("certs", "renew", "--agent", "web-1", "--name", "nope"));

        Assert.Contains("No certificate named 'nope'", _cli.Error, StringComparison.Ordinal);
    }

    internal static AgentCertificate Sample(string agent, string name, int days) => new()
    {
        Agent = agent,
        ReportedAt = Timestamp.FromDateTimeOffset(CliHarness.Now),
        Certificate = new CertificateReport
        {
            Name = name,
            Domains = { $"{name}.example.com" },
            Issuer = "Pebble Intermediate CA",
            Serial = "0A1B",
            NotBefore = Timestamp.FromDateTimeOffset(CliHarness.Now.AddDays(days - 90)),
            NotAfter = Timestamp.FromDateTimeOffset(CliHarness.Now.AddDays(days)),
            LastRenewalAt = Timestamp.FromDateTimeOffset(CliHarness.Now.AddDays(days - 90)),
            LastRenewalSucceeded = true,
        },
    };

    internal static AgentCertificate Failed(AgentCertificate certificate)
    {
        certificate.Certificate.LastRenewalSucceeded = false;
        certificate.Certificate.LastRenewalError = "tsig: BADKEY";
        return certificate;
    }
}
