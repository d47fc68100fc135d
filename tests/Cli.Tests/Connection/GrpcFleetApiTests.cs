using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Cli.Config;
using Fleet.Cli.Connection;
using Fleet.Cli.Tests.Support;

namespace Fleet.Cli.Tests.Connection;

/// <summary>The real channel against sockets on 127.0.0.1: what an operator sees when TLS or the network fails.</summary>
public sealed class GrpcFleetApiTests
{
    private readonly GrpcFleetApiFactory _factory = new(TimeProvider.System);

    [Fact]
    public async Task WhoAmI_NothingListening_SaysCannotReachWithUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var api = _factory.Create(new ControllerContext($"https://127.0.0.1:{port}", CliHarness.Pin, CliHarness.Token));

        var ex = await Assert.ThrowsAsync<CliException>(() => api.WhoAmIAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith($"cannot reach the controller at https://127.0.0.1:{port}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("refused", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WhoAmI_ControllerCaNotPinned_ShowsValidatorReason()
    {
        using var certificate = SelfSignedFor127001();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var server = ServeTlsOnceAsync(listener, certificate, TestContext.Current.CancellationToken);
            using var api = _factory.Create(new ControllerContext($"https://127.0.0.1:{port}", CliHarness.Pin, CliHarness.Token));

            var ex = await Assert.ThrowsAsync<CliException>(() => api.WhoAmIAsync(TestContext.Current.CancellationToken));

            // A lone self-signed leaf carries no CA, so the validator's own reason reaches the operator.
            Assert.StartsWith($"refusing the controller at https://127.0.0.1:{port}: the controller sent no CA certificate", ex.Message, StringComparison.Ordinal);
            Assert.Contains(CliHarness.Pin, ex.Message, StringComparison.Ordinal);
            await server;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static async Task ServeTlsOnceAsync(TcpListener listener, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        using var client = await listener.AcceptTcpClientAsync(cancellationToken);
        await using var tls = new SslStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ApplicationProtocols = [SslApplicationProtocol.Http2],
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException)
        {
            // Expected: the client refuses the certificate and drops the handshake.
        }
    }

    private static X509Certificate2 SelfSignedFor127001()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=not-the-pinned-ca", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var notBefore = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return request.CreateSelfSigned(notBefore, notBefore.AddYears(50));
    }
}
