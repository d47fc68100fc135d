using System.Buffers.Text;
using System.Security.Cryptography.X509Certificates;

namespace Fleet.Agent.Acme;

/// <summary>RFC 9773 §4.1 certificate identifier: base64url(AKI keyIdentifier) "." base64url(serial).</summary>
internal static class RenewalCertId
{
    public static string? For(X509Certificate2 certificate)
    {
        var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        if (aki is not { Length: > 0 } keyId)
        {
            return null;
        }

        return Base64Url.EncodeToString(keyId.Span) + "." + Base64Url.EncodeToString(certificate.SerialNumberBytes.Span);
    }
}
