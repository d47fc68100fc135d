using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Fleet.Agent.Acme;

/// <summary>
/// A downloaded application/pem-certificate-chain (RFC 8555 §9.1): leaf first. Any PEM block that
/// is not a CERTIFICATE (a private key slipped in, say) makes the whole download refused.
/// </summary>
internal sealed class CertificateChain
{
    public const string MediaType = "application/pem-certificate-chain";

    private CertificateChain(string pem, IReadOnlyList<X509Certificate2> certificates)
    {
        Pem = pem;
        Certificates = certificates;
    }

    /// <summary>The chain re-encoded as clean PEM (no text outside the blocks).</summary>
    public string Pem { get; }

    public IReadOnlyList<X509Certificate2> Certificates { get; }

    public X509Certificate2 Leaf => Certificates[0];

    public static CertificateChain Parse(byte[] body) => Parse(Encoding.ASCII.GetString(body));

    public static CertificateChain Parse(string text)
    {
        var certificates = new List<X509Certificate2>();
        var pem = new StringBuilder();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            if (label != "CERTIFICATE")
            {
                throw new AcmeProtocolException($"The ACME server's certificate chain holds a \"{label}\" PEM block; only CERTIFICATE blocks are accepted.");
            }

            var der = Convert.FromBase64String(rest[fields.Base64Data].ToString());
            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }
            catch (CryptographicException ex)
            {
                throw new AcmeProtocolException($"Certificate {certificates.Count + 1} of the ACME chain is not a valid X.509 certificate.", ex);
            }

            pem.Append(PemEncoding.WriteString("CERTIFICATE", der)).Append('\n');
            rest = rest[fields.Location.End..];
        }

        if (certificates.Count == 0)
        {
            throw new AcmeProtocolException("The ACME server's certificate download held no PEM certificate.");
        }

        return new CertificateChain(pem.ToString(), certificates);
    }

    /// <summary>True when the topmost certificate of the chain was issued by a CA with this common name.</summary>
    public bool IsIssuedBy(string issuerCommonName) =>
        string.Equals(Certificates[^1].GetNameInfo(X509NameType.SimpleName, forIssuer: true), issuerCommonName, StringComparison.Ordinal);
}
