using Fleet.Contracts.V1;
using Fleet.Controller.Operators;
using Grpc.Core;

namespace Fleet.Controller.Trust;

internal sealed class TrustGrpcService(TrustStore store) : TrustService.TrustServiceBase
{
    [RequiresRole(TokenRole.Admin)]
    public override async Task<SetTrustPolicyResponse> SetTrustPolicy(SetTrustPolicyRequest request, ServerCallContext context)
    {
        var identity = OperatorIdentity.From(context);
        var decision = await store.InstallAsync(request.Envelope.ToByteArray(), identity.TokenId, context.CancellationToken);
        if (decision.Accepted is not { } accepted)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"trust policy refused: {decision.Message}"));
        }

        return new SetTrustPolicyResponse { Version = accepted.Policy.Version };
    }

    [RequiresRole(TokenRole.Viewer)]
    public override async Task<GetTrustPolicyResponse> GetTrustPolicy(GetTrustPolicyRequest request, ServerCallContext context)
    {
        var current = await store.CurrentAsync(context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, "no trust policy is installed; run fleetctl trust push trust.json"));
        return new GetTrustPolicyResponse
        {
            Envelope = Google.Protobuf.ByteString.CopyFrom(current.Envelope.ToJson()),
            Version = current.Policy.Version,
        };
    }
}
