using System.CommandLine;
using Fleet.Cli.Output;
using Fleet.Cli.Trust;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Releases;

/// <summary><c>fleetctl releases list [--app A] [--env E]</c>, <c>releases show ID</c>, <c>releases approve ID [--key NAME] [--yes]</c>.</summary>
internal static partial class ReleasesCommands
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
        var trustPolicy = LocalTrustPolicy.Option();
        var command = new Command("show", "Show what a release's signed payload says, who really signed it (checked against your trust policy) and what it changes")
        {
            id, output, trustPolicy,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var policyPath = LocalTrustPolicy.Path(runtime, parse.GetValue(trustPolicy));
            var trust = LocalTrustPolicy.Load(policyPath);
            ReleaseView view;
            using (var api = runtime.Connect(parse))
            {
                view = await ReleaseView.LoadAsync(api, parse.GetRequiredValue(id), trust, policyPath, runtime.Time.GetUtcNow(), cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                var json = ReleaseFormatter.ToJson(view.Stored.Release, view.Stored.Rollout) with { Signed = ReleaseDetails.ToJson(view) };
                runtime.Renderer.Json(json, CliJsonContext.Output.ReleaseJson);
            }
            else
            {
                ReleaseDetails.Print(runtime.Renderer, view, runtime.Time.GetUtcNow());
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
