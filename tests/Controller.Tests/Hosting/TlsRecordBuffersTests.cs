using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Controller.Hosting;

namespace Fleet.Controller.Tests.Hosting;

public sealed class TlsRecordBuffersTests
{
    [Fact]
    public async Task ReleaseWhenIdle_AuthenticatedServerStream_SetsModeAndDataStillFlows()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificate = SelfSigned();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var client = new TcpClient();
            var accept = listener.AcceptTcpClientAsync(ct);
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, ct);
            using var accepted = await accept;
            await using var server = new SslStream(accepted.GetStream());
            await using var tls = new SslStream(client.GetStream());
            await Task.WhenAll(
                server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, ct),
                tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHash().AsSpan().SequenceEqual(certificate.GetCertHash()) == true }, ct));

            Assert.True(TlsRecordBuffers.ReleaseWhenIdle(server));

            // More than one record each way, several times: buffers released while idle come back when needed.
            var payload = RandomNumberGenerator.GetBytes(40_000);
            for (var round = 0; round < 3; round++)
            {
                var received = new byte[payload.Length];
                await tls.WriteAsync(payload, ct);
                await server.ReadExactlyAsync(received, ct);
                Assert.Equal(payload, received);
                await server.WriteAsync(payload, ct);
                await tls.ReadExactlyAsync(received, ct);
                Assert.Equal(payload, received);
            }
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task ReleaseWhenIdle_StreamNotAuthenticated_ReturnsFalse()
    {
        await using var ssl = new SslStream(new MemoryStream());

        Assert.False(TlsRecordBuffers.ReleaseWhenIdle(ssl));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }
}
