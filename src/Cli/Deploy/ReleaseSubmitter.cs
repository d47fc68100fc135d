using System.Globalization;
using Fleet.Cli.Connection;
using Fleet.Cli.Keys;
using Fleet.Cli.Releases;
using Fleet.Cli.Rollouts;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Google.Protobuf;

namespace Fleet.Cli.Deploy;

/// <summary>Shared by deploy and rollback: next sequence, build + sign the manifest, submit, report (and watch).</summary>
internal static class ReleaseSubmitter
{
    public static async Task<int> SubmitAsync(
        CliRuntime runtime, IFleetApi api, ReleaseDefinition definition, string environment, string[]? keyNames,
        TimeSpan? ttl, bool supersede, bool watch, CancellationToken cancellationToken, bool rollback = false)
    {
        var keys = SigningKeys.Load(runtime, keyNames);
        byte[] envelope;
        long sequence;
        try
        {
            sequence = (await api.GetNextSequenceAsync(new GetNextSequenceRequest { App = definition.App, Environment = environment }, cancellationToken)).Sequence;
            var validity = await ReleaseTtl.ChooseAsync(api, environment, ttl, cancellationToken);
            ReleaseManifest manifest;
            try
            {
                manifest = ReleaseManifest.Create(definition, environment, sequence, runtime.Time.GetUtcNow(), validity);
            }
            catch (ReleaseValidationException ex)
            {
                throw new CliException($"invalid release: {ex.Message}", inner: ex);
            }

            envelope = manifest.Sign(keys).ToJson();
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }

        var response = await api.SubmitReleaseAsync(new SubmitReleaseRequest { Envelope = ByteString.CopyFrom(envelope), Supersede = supersede, Rollback = rollback }, cancellationToken);
        var release = response.Release;
        runtime.Renderer.Line(string.Create(CultureInfo.InvariantCulture,
            $"release {release.ReleaseId}: {release.App}/{release.Environment} #{release.Sequence} signed {ReleaseFormatter.Signed(release)}"));
        if (response.Rollout is not { } rollout)
        {
            return ExitCodes.Ok;
        }

        if (rollout.State == RolloutState.AwaitingApproval)
        {
            runtime.Renderer.Line($"rollout {rollout.RolloutId} waits for approval: another operator runs fleetctl releases approve {release.ReleaseId}");
        }

        if (!watch && rollout.State == RolloutState.AwaitingApproval)
        {
            return ExitCodes.Ok;
        }

        if (!watch)
        {
            runtime.Renderer.Line($"rollout {rollout.RolloutId} {RolloutFormatter.StateName(rollout.State)} over {RolloutFormatter.Counts(rollout)}; follow it with fleetctl rollout status {rollout.RolloutId} --watch");
            return ExitCodes.Ok;
        }

        return await RolloutWatch.RunAsync(runtime, api, rollout.RolloutId, cancellationToken);
    }
}
