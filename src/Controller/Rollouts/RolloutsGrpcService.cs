using Fleet.Contracts.V1;
using Fleet.Controller.Operators;
using Grpc.Core;

namespace Fleet.Controller.Rollouts;

internal sealed class RolloutsGrpcService(RolloutStore store, RolloutControl control, RolloutChanges changes, TimeProvider time) : RolloutsService.RolloutsServiceBase
{
    // Changes made by another replica are seen at least this often.
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(1);

    [RequiresRole(TokenRole.Viewer)]
    public override async Task<GetRolloutResponse> GetRollout(GetRolloutRequest request, ServerCallContext context) =>
        new() { Rollout = await FindAsync(request, context.CancellationToken) };

    [RequiresRole(TokenRole.Viewer)]
    public override async Task WatchRollout(WatchRolloutRequest request, IServerStreamWriter<WatchRolloutResponse> responseStream, ServerCallContext context)
    {
        var cancellationToken = context.CancellationToken;
        Rollout? sent = null;
        while (true)
        {
            var next = changes.Next;
            var rollout = await store.FindAsync(request.RolloutId, cancellationToken)
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"no rollout '{request.RolloutId}'"));
            if (!rollout.Equals(sent))
            {
                await responseStream.WriteAsync(new WatchRolloutResponse { Rollout = rollout }, cancellationToken);
                sent = rollout;
            }

            if (!RolloutNames.IsActive(rollout.State) && !rollout.Targets.Any(t => t.State == TargetState.Reverting))
            {
                return;
            }

            await Task.WhenAny(next, Task.Delay(WatchPoll, time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<PauseRolloutResponse> PauseRollout(PauseRolloutRequest request, ServerCallContext context)
    {
        await control.PauseAsync(request.RolloutId, OperatorIdentity.From(context).TokenId, context.CancellationToken);
        return new PauseRolloutResponse { Rollout = await store.FindAsync(request.RolloutId, context.CancellationToken) };
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<ResumeRolloutResponse> ResumeRollout(ResumeRolloutRequest request, ServerCallContext context)
    {
        await control.ResumeAsync(request.RolloutId, OperatorIdentity.From(context).TokenId, context.CancellationToken);
        return new ResumeRolloutResponse { Rollout = await store.FindAsync(request.RolloutId, context.CancellationToken) };
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<AbortRolloutResponse> AbortRollout(AbortRolloutRequest request, ServerCallContext context)
    {
        await control.AbortAsync(request.RolloutId, OperatorIdentity.From(context).TokenId, context.CancellationToken);
        return new AbortRolloutResponse { Rollout = await store.FindAsync(request.RolloutId, context.CancellationToken) };
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<PromoteRolloutResponse> PromoteRollout(PromoteRolloutRequest request, ServerCallContext context)
    {
        await control.PromoteAsync(request.RolloutId, OperatorIdentity.From(context).TokenId, context.CancellationToken);
        return new PromoteRolloutResponse { Rollout = await store.FindAsync(request.RolloutId, context.CancellationToken) };
    }

    private async Task<Rollout> FindAsync(GetRolloutRequest request, CancellationToken cancellationToken)
    {
        if (request.RolloutId.Length > 0)
        {
            return await store.FindAsync(request.RolloutId, cancellationToken)
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"no rollout '{request.RolloutId}'"));
        }

        if (request.App.Length == 0 || request.Environment.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "give a rollout id, or app and environment"));
        }

        return await store.LatestAsync(request.App, request.Environment, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"{request.App}/{request.Environment} has no rollout yet"));
    }
}
