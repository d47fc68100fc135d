using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Keys;
using Fleet.Cli.Output;
using Fleet.Cli.Rollouts;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;
using Google.Protobuf;

namespace Fleet.Cli.Releases;

/// <summary><c>fleetctl releases list [--app A] [--env E]</c>, <c>releases show ID</c>, <c>releases approve ID [--key NAME]</c>.</summary>
internal static class ReleasesCommands
{
    public static Command Create(CliRuntime runtime) => new("releases", "Signed releases stored on the controller")
    {
        List(runtime),
        Show(runtime),
        Approve(runtime),
    };

    private static Command List(CliRuntime runtime)
    {
        var app = new Option<string?>("--app") { Description = "Only this app", HelpName = "APP" };
        var environment = new Option<string?>("--env") { Description = "Only this environment", HelpName = "ENV" };
        var output = OutputOption.Create();
        var command = new Command("list", "List releases, newest first") { app, environment, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ListReleasesResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.ListReleasesAsync(
                    new ListReleasesRequest { App = parse.GetValue(app) ?? "", Environment = parse.GetValue(environment) ?? "" }, cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(new ReleaseListJson([.. response.Releases.Select(r => ReleaseFormatter.ToJson(r, null))]), CliJsonContext.Output.ReleaseListJson);
            }
            else if (response.Releases.Count == 0)
            {
                runtime.Renderer.Line("No releases yet; deploy one with fleetctl deploy -f fleet.yaml --env ENV.");
            }
            else
            {
                runtime.Renderer.Write(ReleaseFormatter.Table(response.Releases, runtime.Time.GetUtcNow()));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliRuntime runtime)
    {
        var id = new Argument<string>("ID") { Description = "Release id (from releases list)" };
        var output = OutputOption.Create();
        var command = new Command("show", "Show a release, its signers and its rollout") { id, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            GetReleaseResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.GetReleaseAsync(new GetReleaseRequest { ReleaseId = parse.GetRequiredValue(id) }, cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(ReleaseFormatter.ToJson(response.Release, response.Rollout), CliJsonContext.Output.ReleaseJson);
                return ExitCodes.Ok;
            }

            var release = response.Release;
            runtime.Renderer.Line($"release   {release.ReleaseId}");
            runtime.Renderer.Line($"app       {release.App} / {release.Environment} #{release.Sequence.ToString(CultureInfo.InvariantCulture)}");
            runtime.Renderer.Line($"signed    {ReleaseFormatter.Signed(release)}: {string.Join(", ", release.Signers)}");
            runtime.Renderer.Line($"expires   {Humanize.Iso(release.ExpiresAt)}");
            if (response.Rollout is { } rollout)
            {
                RolloutFormatter.Print(runtime.Renderer, rollout, runtime.Time.GetUtcNow());
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Approve(CliRuntime runtime)
    {
        var id = new Argument<string>("ID") { Description = "Release id (from releases list)" };
        var key = SigningKeys.Option();
        var command = new Command("approve", "Add your signature to a release; its rollout starts once the environment's threshold is met") { id, key };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = runtime.Connect(parse);
            var stored = (await api.GetReleaseAsync(new GetReleaseRequest { ReleaseId = parse.GetRequiredValue(id) }, cancellationToken)).Release;
            DsseEnvelope envelope;
            try
            {
                envelope = DsseEnvelope.Parse(stored.Envelope.Span, ReleaseManifest.PayloadType);
            }
            catch (DsseFormatException ex)
            {
                throw new CliException($"the controller returned a damaged release envelope: {ex.Message}", inner: ex);
            }

            var keys = SigningKeys.Load(runtime, parse.GetValue(key));
            DsseEnvelope signed;
            try
            {
                // Only the new signatures travel; the controller checks they cover the stored payload.
                signed = Dsse.Sign(envelope.PayloadType, envelope.Payload, keys);
            }
            finally
            {
                keys.ForEach(k => k.Dispose());
            }

            var response = await api.ApproveReleaseAsync(
                new ApproveReleaseRequest { ReleaseId = stored.ReleaseId, Envelope = ByteString.CopyFrom(signed.ToJson()) }, cancellationToken);
            runtime.Renderer.Line($"release {response.Release.ReleaseId} signed {ReleaseFormatter.Signed(response.Release)}" +
                (response.Rollout is { } rollout ? $"; rollout {rollout.RolloutId} {RolloutFormatter.StateName(rollout.State)}" : ""));
            return ExitCodes.Ok;
        });
        return command;
    }
}
