using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Fleet.Core.Transport;

/// <summary>Builds gRPC channels to the controller that trust only the pinned CA.</summary>
public static class PinnedChannel
{
    /// <remarks>
    /// <paramref name="clientCertificate"/> is asked on every new TLS connection, so a renewed
    /// certificate is used without a restart.
    /// </remarks>
    public static GrpcChannel Create(
        Uri controller,
        PinnedServerValidator validator,
        Func<X509Certificate2?>? clientCertificate = null,
        TimeSpan? connectTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(validator);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout ?? TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = false,
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, chain, errors) => validator.Validate(cert, chain, errors);
        if (clientCertificate is not null)
        {
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate()!;
        }

        return GrpcChannel.ForAddress(controller, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
    }
}
