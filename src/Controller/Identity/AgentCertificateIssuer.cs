using System.Security.Cryptography;
using Fleet.Controller.Hosting;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Fleet.Controller.Identity;

/// <summary>An issued agent certificate, as sent to the agent and recorded in the agents table.</summary>
internal sealed record IssuedCertificate(string Pem, string Serial, DateTimeOffset NotAfter);

/// <summary>Issues agent client certificates (enrollment and renewal) with the configured lifetime.</summary>
internal sealed class AgentCertificateIssuer(ServerIdentity identity, IOptions<ControllerOptions> options)
{
    public string CaBundlePem => identity.Authority.CertificatePem;

    /// <exception cref="RpcException">InvalidArgument when the CSR is malformed or badly signed.</exception>
    public IssuedCertificate Issue(ByteString csrDer, Guid agentId, string name)
    {
        try
        {
            using var certificate = identity.Authority.IssueAgentCertificate(csrDer.ToByteArray(), agentId, name, options.Value.AgentCertLifetime);
            return new IssuedCertificate(
                certificate.ExportCertificatePem(), certificate.SerialNumber, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        }
        catch (CryptographicException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"the certificate signing request is invalid ({ex.Message}); send a DER-encoded PKCS#10 request signed by the agent's key"));
        }
    }
}
