using Fleet.Contracts.V1;
using Fleet.Controller.Audit;
using Fleet.Controller.Operators;
using Fleet.Controller.Rollouts;
using Fleet.Controller.Trust;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Grpc.Core;

namespace Fleet.Controller.Releases;

internal sealed class ReleasesGrpcService(
    TrustStore trust, ReleaseStore releases, RolloutStore rollouts, CollectionHold hold, AuditLog audit, TimeProvider time) : ReleasesService.ReleasesServiceBase
{
    [RequiresRole(TokenRole.Deployer)]
    public override async Task<SubmitReleaseResponse> SubmitRelease(SubmitReleaseRequest request, ServerCallContext context)
    {
        var identity = OperatorIdentity.From(context);
        var policy = await trust.CurrentAsync(context.CancellationToken);
        var verified = ReleaseIntake.Verify(request.Envelope.Span, policy?.Policy, time.GetUtcNow());
        hold.BeginForConnectedFleet();
        var (release, rolloutId) = await releases.SubmitAsync(verified, request.Supersede, request.Rollback, identity.TokenId, context.CancellationToken);
        if (request.PromotedFrom.Length > 0)
        {
            await audit.AppendAsync(
                "release.promote", identity.TokenId, $"{release.App}/{release.Environment}#{release.Sequence}", $"from {release.App}/{request.PromotedFrom}", context.CancellationToken);
        }

        return new SubmitReleaseResponse { Release = release, Rollout = await rollouts.SummaryAsync(rolloutId, context.CancellationToken) };
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<ApproveReleaseResponse> ApproveRelease(ApproveReleaseRequest request, ServerCallContext context)
    {
        var identity = OperatorIdentity.From(context);
        var policy = await trust.CurrentAsync(context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, "no trust policy is installed on the controller"));
        DsseEnvelope approval;
        try
        {
            approval = DsseEnvelope.Parse(request.Envelope.Span, ReleaseManifest.PayloadType);
        }
        catch (DsseFormatException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"approval refused: {ex.Message}"));
        }

        hold.BeginForConnectedFleet();
        var release = await releases.ApproveAsync(request.ReleaseId, approval, policy.Policy, identity.TokenId, context.CancellationToken);
        return new ApproveReleaseResponse
        {
            Release = release,
            Rollout = release.RolloutId.Length == 0 ? null : await rollouts.SummaryAsync(release.RolloutId, context.CancellationToken),
        };
    }

    [RequiresRole(TokenRole.Viewer)]
    public override async Task<ListReleasesResponse> ListReleases(ListReleasesRequest request, ServerCallContext context)
    {
        var response = new ListReleasesResponse();
        response.Releases.AddRange(await releases.ListAsync(request.App, request.Environment, context.CancellationToken));
        return response;
    }

    [RequiresRole(TokenRole.Viewer)]
    public override async Task<GetReleaseResponse> GetRelease(GetReleaseRequest request, ServerCallContext context)
    {
        var release = await releases.FindAsync(request.ReleaseId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no release '{request.ReleaseId}'; see fleetctl releases list"));
        return new GetReleaseResponse
        {
            Release = release,
            Rollout = release.RolloutId.Length == 0 ? null : await rollouts.FindAsync(release.RolloutId, context.CancellationToken),
        };
    }

    [RequiresRole(TokenRole.Viewer)]
    public override async Task<GetNextSequenceResponse> GetNextSequence(GetNextSequenceRequest request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.App) || string.IsNullOrEmpty(request.Environment))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "app and environment are required"));
        }

        return new GetNextSequenceResponse { Sequence = await releases.NextSequenceAsync(request.App, request.Environment, context.CancellationToken) };
    }
}
