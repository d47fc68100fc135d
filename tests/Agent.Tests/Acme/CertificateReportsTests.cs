using Fleet.Agent.Acme;
using Fleet.Contracts.V1;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests.Acme;

public sealed class CertificateReportsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private readonly AcmeTestHost _host = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task PublishAsync_SameStateTwice_OneCertificateEvent()
    {
        var reports = new CertificateReports(_host.Outbox, new FakeTimeProvider(Now));
        var installed = Status(new RenewalResult(Now, true, null));

        await reports.PublishAsync(installed, Token);
        await reports.PublishAsync(installed with { Domains = ["web.example.test"] }, Token);

        var sent = Assert.Single(await _host.Outbox.ReadPendingAsync(0, 10, Token));
        Assert.Equal(AgentEventKind.Certificate, sent.Kind);
        Assert.Equal("web", sent.Certificate.Name);
        Assert.Equal(["web.example.test"], sent.Certificate.Domains);
        Assert.Equal("Pebble Intermediate", sent.Certificate.Issuer);
        Assert.Equal(Now.AddDays(90), sent.Certificate.NotAfter.ToDateTimeOffset());
        Assert.True(sent.Certificate.LastRenewalSucceeded);
    }

    [Fact]
    public async Task PublishAsync_RenewalFailedThenRemoved_EachChangeReported()
    {
        var reports = new CertificateReports(_host.Outbox, new FakeTimeProvider(Now));
        await reports.PublishAsync(Status(null), Token);

        await reports.PublishAsync(Status(new RenewalResult(Now, false, "tsig: BADSIG")), Token);
        await reports.PublishRemovedAsync("web", Token);

        var sent = await _host.Outbox.ReadPendingAsync(0, 10, Token);
        Assert.Equal(3, sent.Count);
        Assert.False(sent[1].Certificate.LastRenewalSucceeded);
        Assert.Equal("tsig: BADSIG", sent[1].Certificate.LastRenewalError);
        Assert.Contains("BADSIG", sent[1].Detail, StringComparison.Ordinal);
        Assert.True(sent[2].Certificate.Removed);
    }

    private static CertificateStatus Status(RenewalResult? last) =>
        new("web", ["web.example.test"], "Pebble Intermediate", Now, Now.AddDays(90), "/state/web/live/fullchain.pem", last, null);
}
