using System.CommandLine;
using Fleet.Cli.Keys;
using Fleet.Cli.Rollouts;
using Fleet.Cli.Trust;
using Fleet.Contracts.V1;
using Fleet.Core.Trust;
using Google.Protobuf;

namespace Fleet.Cli.Releases;

internal static partial class ReleasesCommands
{
    /// <summary>
    /// Signs only what the operator has seen and fleetctl has checked: the payload decoded and
    /// shown, its signatures verified against the operator's own trust policy, not expired, and
    /// matching what the controller lists. Asks before signing unless <c>--yes</c>.
    /// </summary>
    private static Command Approve(CliRuntime runtime)
    {
        var id = new Argument<string>("ID") { Description = "Release id (from releases list)" };
        var key = SigningKeys.Option();
        var trustPolicy = LocalTrustPolicy.Option();
        var yes = new Option<bool>("--yes", "-y") { Description = "Sign without asking (for scripts); every check still runs and refuses what fails it" };
        var command = new Command("approve", "Check a release against your trust policy, show it, and add your signature; its rollout starts once the environment's threshold is met")
        {
            id, key, trustPolicy, yes,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var releaseId = parse.GetRequiredValue(id);
            var confirmed = parse.GetValue(yes);
            if (!confirmed && !runtime.CanAsk)
            {
                throw CliException.Usage($"approve asks before it signs, and there is no terminal to ask on; read fleetctl releases show {releaseId}, then run approve again with --yes");
            }

            var policyPath = LocalTrustPolicy.Path(runtime, parse.GetValue(trustPolicy));
            var trust = LocalTrustPolicy.Load(policyPath) ?? throw new CliException(
                $"no trust policy at {policyPath}: approve checks a release against your own copy of it; pass --trust-policy FILE (the signed file from fleetctl trust init) or run fleetctl trust push FILE once");
            using var api = runtime.Connect(parse);
            var view = await ReleaseView.LoadAsync(api, releaseId, trust, policyPath, runtime.Time.GetUtcNow(), cancellationToken);
            ReleaseDetails.Print(runtime.Renderer, view, runtime.Time.GetUtcNow());
            if (view.Problems.Count > 0)
            {
                throw new CliException($"refusing to sign release {releaseId}: {string.Join("; ", view.Problems)}");
            }

            var manifest = view.Inspection.Manifest!;
            var keys = SigningKeys.Load(runtime, parse.GetValue(key));
            DsseEnvelope approval;
            try
            {
                var signers = keys.Where(k => !view.Inspection.Signers.Contains(k.KeyId)).ToList();
                if (signers.Count == 0)
                {
                    throw new CliException($"{string.Join(", ", keys.Select(k => k.Name))} already signed release {releaseId}");
                }

                if (!confirmed && !runtime.Ask($"Sign release {releaseId} ({manifest.App}/{manifest.Environment} #{manifest.Sequence}) with {string.Join(", ", signers.Select(k => k.Name))}?"))
                {
                    throw new CliException($"release {releaseId} not signed");
                }

                // Only the new signatures travel; the controller checks they cover the stored payload.
                approval = Dsse.Sign(view.Inspection.Envelope!.PayloadType, view.Inspection.Envelope.Payload, signers);
            }
            finally
            {
                keys.ForEach(k => k.Dispose());
            }

            var response = await api.ApproveReleaseAsync(
                new ApproveReleaseRequest { ReleaseId = releaseId, Envelope = ByteString.CopyFrom(approval.ToJson()) }, cancellationToken);
            runtime.Renderer.Line($"release {response.Release.ReleaseId} signed {ReleaseFormatter.Signed(response.Release)}" +
                (response.Rollout is { } rollout ? $"; rollout {rollout.RolloutId} {RolloutFormatter.StateName(rollout.State)}" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }
}
