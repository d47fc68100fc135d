using Fleet.Agent.Acme;
using Fleet.Contracts.V1;

namespace Fleet.Agent.Tests.Acme;

public sealed class RenewCertificateHandlerTests : IDisposable
{
    private readonly AcmeTestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task HandleAsync_UnknownName_FailsNamingItWithoutTouchingTheCa()
    {
        var handler = _host.Get<IEnumerable<Fleet.Agent.Connection.IAgentCommandHandler>>().OfType<RenewCertificateHandler>().Single();

        var result = await handler.HandleAsync(
            new AgentCommand { RenewCertificate = new RenewCertificateCommand { Name = "nope" } }, TestContext.Current.CancellationToken);

        Assert.False(result.Ok);
        Assert.Equal(RenewCertificateHandler.UnknownCertificate, result.Detail);
        Assert.Contains("'nope'", result.Error, StringComparison.Ordinal);
        Assert.Null(result.Certificate);
    }
}
