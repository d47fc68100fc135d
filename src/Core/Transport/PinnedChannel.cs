using System.Net.Sockets;
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
            // The connection SocketsHttpHandler would make itself. Setting it keeps Grpc.Net.Client
            // from wrapping every connection's stream for client-side load balancing, which adds
            // an asynchronous layer (and an allocation) to every read of a days-long stream that
            // talks to one controller address.
            ConnectCallback = ConnectAsync,
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

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
