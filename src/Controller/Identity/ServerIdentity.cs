using System.Security.Cryptography.X509Certificates;
using Fleet.Controller.Hosting;

namespace Fleet.Controller.Identity;

/// <summary>The CA and the server certificate, loaded or created once when the host is built.</summary>
internal sealed class ServerIdentity : IDisposable
{
    private static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(397);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private ServerIdentity(CertificateAuthority authority, X509Certificate2 serverCertificate)
    {
        Authority = authority;
        ServerCertificate = serverCertificate;
        HandshakeChain = authority.CreateChainCertificate();
    }

    public CertificateAuthority Authority { get; }

    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Sent after the server certificate in every handshake; see <see cref="CertificateAuthority.CreateChainCertificate"/>.</summary>
    public X509Certificate2 HandshakeChain { get; }

    public static ServerIdentity LoadOrCreate(ControllerOptions options, TimeProvider time)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("fleet-controller needs Unix file modes");
        }

        Directory.CreateDirectory(options.Data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var authority = CertificateAuthority.LoadOrCreate(options.Data, time);
        var names = new List<string> { "localhost", "127.0.0.1", Environment.MachineName };
        names.AddRange(options.AdvertiseName);
        var certPath = Path.Combine(options.Data, "server.crt");
        var keyPath = Path.Combine(options.Data, "server.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            var existing = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            if (IsUsable(existing, authority, names, time))
            {
                return new ServerIdentity(authority, existing);
            }

            existing.Dispose();
        }

        var issued = authority.IssueServerCertificate(names, ServerLifetime);
        using (var key = issued.GetECDsaPrivateKey()!)
        {
            SecretFile.WriteSecret(keyPath, key.ExportPkcs8PrivateKeyPem());
        }

        SecretFile.WritePublic(certPath, issued.ExportCertificatePem());
        return new ServerIdentity(authority, issued);
    }

    public void Dispose()
    {
        ServerCertificate.Dispose();
        HandshakeChain.Dispose();
        Authority.Dispose();
    }

    // Re-issued when it is near expiry, signed by another CA, or lacks a name now advertised.
    private static bool IsUsable(X509Certificate2 certificate, CertificateAuthority authority, List<string> names, TimeProvider time)
    {
        if (certificate.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime < RenewBefore
            || certificate.Issuer != authority.Certificate.Subject
            || !certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Any(
                e => e.KeyIdentifier is { } id && authority.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>()
                    .Any(s => s.SubjectKeyIdentifier == Convert.ToHexString(id.Span))))
        {
            return false;
        }

        return names.All(name => certificate.MatchesHostname(name, allowWildcards: false, allowCommonName: false));
    }
}
