using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Acme;

/// <summary>The HttpClient for an ACME server: system trust, or exactly one extra root (test CAs such as Pebble).</summary>
internal static class AcmeHttp
{
    public static HttpClient Create(string? trustedRootPemFile, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (!string.IsNullOrEmpty(trustedRootPemFile))
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(trustedRootPemFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            };
            handler.SslOptions.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        var client = new HttpClient(handler) { Timeout = timeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("fleet-agent-acme/1");
        return client;
    }
}
