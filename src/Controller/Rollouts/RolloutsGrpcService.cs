using Fleet.Contracts.V1;
using Fleet.Controller.Operators;
using Grpc.Core;

namespace Fleet.Controller.Rollouts;

internal sealed class RolloutsGrpcService(RolloutStore store, RolloutControl control, RolloutChanges changes, TimeProvider time) : RolloutsService.RolloutsServiceBase
{
    // Changes made by another replica are seen at least this often.
    private static readonly TimeSpan WatchPoll = TimeSpan.FromSeconds(1);

    // Each update reads and sends every target (about a megabyte at 10,000 hosts), and a wave's
    // hosts report in batches while it goes out: updates are at least this far apart.
    private static readonly TimeSpan WatchSpacing = TimeSpan.FromMilliseconds(500);

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
            var readAt = time.GetTimestamp();
            var rollout = await store.FindAsync(request.RolloutId, cancellationToken)
                ?? throw NoRollout(request.RolloutId);
            if (!rollout.Equals(sent))
            {
                await responseStream.WriteAsync(new WatchRolloutResponse { Rollout = rollout }, cancellationToken);
                sent = rollout;
            }

            if (!RolloutMachine.IsActive(rollout.State) && !rollout.Targets.Any(t => RolloutMachine.InFlight.Contains(t.State)))
            {
                return;
            }

            await Task.WhenAny(next, Task.Delay(WatchPoll, time, cancellationToken));
            var early = WatchSpacing - time.GetElapsedTime(readAt);
            if (early > TimeSpan.Zero)
            {
                await Task.Delay(early, time, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<PauseRolloutResponse> PauseRollout(PauseRolloutRequest request, ServerCallContext context) =>
        new() { Rollout = await ActAsync(control.PauseAsync, request.RolloutId, context) };

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<ResumeRolloutResponse> ResumeRollout(ResumeRolloutRequest request, ServerCallContext context) =>
        new() { Rollout = await ActAsync(control.ResumeAsync, request.RolloutId, context) };

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<AbortRolloutResponse> AbortRollout(AbortRolloutRequest request, ServerCallContext context) =>
        new() { Rollout = await ActAsync(control.AbortAsync, request.RolloutId, context) };

    [RequiresRole(TokenRole.Deployer)]
    public override async Task<PromoteRolloutResponse> PromoteRollout(PromoteRolloutRequest request, ServerCallContext context) =>
        new() { Rollout = await ActAsync(control.PromoteAsync, request.RolloutId, context) };

    private static RpcException NoRollout(string rolloutId) => new(new Status(StatusCode.NotFound, $"no rollout '{rolloutId}'"));

    // An operator's command on one rollout (audited with the caller's token), answered with the rollout as it is now.
    private async Task<Rollout?> ActAsync(Func<string, string, CancellationToken, Task> act, string rolloutId, ServerCallContext context)
    {
        await act(rolloutId, OperatorIdentity.From(context).TokenId, context.CancellationToken);
        return await store.FindAsync(rolloutId, context.CancellationToken);
    }

    private async Task<Rollout> FindAsync(GetRolloutRequest request, CancellationToken cancellationToken)
    {
        if (request.RolloutId.Length > 0)
        {
            return await store.FindAsync(request.RolloutId, cancellationToken)
                ?? throw NoRollout(request.RolloutId);
        }

        if (request.App.Length == 0 || request.Environment.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "give a rollout id, or app and environment"));
        }

        return await store.LatestAsync(request.App, request.Environment, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"{request.App}/{request.Environment} has no rollout yet"));
    }
}
