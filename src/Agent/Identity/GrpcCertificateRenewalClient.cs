using Fleet.Agent.Connection;
using Fleet.Contracts.V1;
using Google.Protobuf;

namespace Fleet.Agent.Identity;

internal sealed class GrpcCertificateRenewalClient(ControllerChannel channel, TimeProvider time) : ICertificateRenewalClient
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public async Task<RenewCertificateResponse> RenewAsync(byte[] csrDer, CancellationToken cancellationToken)
    {
        using var lease = channel.Acquire();
        return await lease.Client.RenewCertificateAsync(
            new RenewCertificateRequest { CsrDer = ByteString.CopyFrom(csrDer) },
            deadline: time.GetUtcNow().Add(CallTimeout).UtcDateTime,
            cancellationToken: cancellationToken);
    }
}
