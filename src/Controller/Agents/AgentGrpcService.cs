using Fleet.Contracts.V1;
using Fleet.Controller.Identity;
using Fleet.Controller.Secrets;
using Fleet.Core.Secrets;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Fleet.Controller.Agents;

/// <summary>Mutual TLS: the client certificate is the agent's identity.</summary>
internal sealed class AgentGrpcService(
    AgentAuthenticator authenticator, AgentStreams streams, AgentCertificateIssuer issuer, AgentStore store, SecretStore secrets) : AgentService.AgentServiceBase
{
    public override async Task Connect(IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<ControllerMessage> responseStream, ServerCallContext context)
    {
        var agent = await authenticator.AuthenticateAsync(context);
        await streams.RunAsync(agent, requestStream, responseStream, context.CancellationToken);
    }

    public override async Task<RenewCertificateResponse> RenewCertificate(RenewCertificateRequest request, ServerCallContext context)
    {
        var agent = await authenticator.AuthenticateAsync(context);
        var issued = issuer.Issue(request.CsrDer, agent.Id, agent.Name);
        if (!await store.RecordCertificateAsync(agent.Id, issued.Serial, issued.NotAfter, context.CancellationToken))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"agent '{agent.Name}' was revoked; enroll it again with a new join token"));
        }

        return new RenewCertificateResponse
        {
            CertificatePem = issued.Pem,
            CaBundlePem = issuer.CaBundlePem,
            NotAfter = Timestamp.FromDateTimeOffset(issued.NotAfter),
        };
    }

    public override async Task<GetSealedSecretsResponse> GetSealedSecrets(GetSealedSecretsRequest request, ServerCallContext context)
    {
        var agent = await authenticator.AuthenticateAsync(context);
        var response = new GetSealedSecretsResponse();
        if ((await store.FindAsync(agent.Id, context.CancellationToken))?.EncryptionPublicKey is { } key)
        {
            response.Copies.AddRange(await secrets.AgentCopiesAsync(
                agent.Id, EncryptionKeys.Fingerprint(key), request.App, request.Environment, request.Secrets, context.CancellationToken));
        }

        return response;
    }
}
