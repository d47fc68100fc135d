using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fleet.Contracts.V1;
using Fleet.Core.Transport;
using Google.Protobuf;

namespace Fleet.Integration.Tests.Foundation;

/// <summary>Raw agent RPCs with a chosen client certificate, to test what the controller refuses.</summary>
internal static class AgentCalls
{
    public static async Task<RenewCertificateResponse> RenewAsync(ControllerEndpoint controller, X509Certificate2? certificate)
    {
        using var channel = PinnedChannel.Create(new Uri(controller.Url), new PinnedServerValidator([controller.CaPin]), certificate is null ? null : () => certificate);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=renew", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        return await new AgentService.AgentServiceClient(channel).RenewCertificateAsync(
            new RenewCertificateRequest { CsrDer = ByteString.CopyFrom(csr) },
            deadline: DateTime.UtcNow.AddSeconds(10));
    }

    public static async Task ConnectAsync(ControllerEndpoint controller, X509Certificate2? certificate)
    {
        using var channel = PinnedChannel.Create(new Uri(controller.Url), new PinnedServerValidator([controller.CaPin]), certificate is null ? null : () => certificate);
        using var call = new AgentService.AgentServiceClient(channel).Connect(deadline: DateTime.UtcNow.AddSeconds(10));
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new AgentHello { AgentVersion = "test" } });
        await call.ResponseStream.MoveNext(CancellationToken.None);
    }
}
