using System.Net;
using Fleet.Controller.Identity;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Fleet.Controller.Hosting;

internal static class KestrelSetup
{
    /// <summary>
    /// One HTTPS/HTTP2 port for all gRPC, sized for many idle agent streams: each connection
    /// allows few streams and small flow-control windows, because agents send small messages.
    /// </summary>
    public static void ConfigureKestrel(this WebApplicationBuilder builder, ControllerOptions options, ServerIdentity identity)
    {
        var listen = ParseEndpoint("--listen", options.Listen);
        var metrics = options.MetricsEnabled ? ParseEndpoint("--metrics-listen", options.MetricsListen) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Agents make one long call per connection: HPACK dynamic tables would only cost memory.
            kestrel.AllowResponseHeaderCompression = false;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MaxConcurrentUpgradedConnections = null;
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            var http2 = kestrel.Limits.Http2;
            http2.MaxStreamsPerConnection = 16;
            http2.InitialConnectionWindowSize = 128 * 1024;
            http2.InitialStreamWindowSize = 64 * 1024;
            http2.MaxFrameSize = 16 * 1024;
            http2.HeaderTableSize = 0;
            http2.MaxRequestHeaderFieldSize = 8 * 1024;
            http2.KeepAlivePingDelay = TimeSpan.FromSeconds(60);
            http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
            kestrel.Listen(listen, endpoint =>
            {
                endpoint.Protocols = HttpProtocols.Http2;
                var pause = kestrel.ApplicationServices.GetRequiredService<InboundPause>();
                endpoint.Use(next => connection => pause.Wrap(connection, next));
                endpoint.UseHttps(https =>
                {
                    https.ServerCertificate = identity.ServerCertificate;
                    // Sent with the leaf so that agents can check the CA against their pin.
                    https.ServerCertificateChain = [identity.HandshakeChain];
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    // Checked per call (AgentCertificateValidator) to answer with a readable gRPC error.
                    https.ClientCertificateValidation = static (_, _, _) => true;
                    https.CheckCertificateRevocation = false;
                });
                endpoint.Use(next => connection => TlsRecordBuffers.ReleaseWhenIdle(connection, next));
            });
            if (metrics is not null)
            {
                kestrel.Listen(metrics, endpoint => endpoint.Protocols = HttpProtocols.Http1);
            }
        });
    }

    private static IPEndPoint ParseEndpoint(string option, string text)
    {
        var value = text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1:" + text["localhost:".Length..] : text;
        return IPEndPoint.TryParse(value, out var endpoint) && value.Contains(':', StringComparison.Ordinal)
            ? endpoint
            : throw new ArgumentException($"{option} needs an address and port like 127.0.0.1:7443, got '{text}'");
    }
}
