using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Connection;
using Fleet.Cli.Keys;
using Fleet.Cli.Rollouts;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Deploy;

/// <summary>
/// <c>fleetctl promote APP --from staging --to production [--sequence N]</c>: signs a release for
/// the target environment with exactly the services (and so the image digests) of a release whose
/// rollout succeeded in the source environment (the newest such one, or #N). The target's trust
/// threshold applies: with 2-of-N another operator approves it (fleetctl releases approve).
/// </summary>
internal static class PromoteCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var app = new Argument<string>("APP") { Description = "The app to promote" };
        var from = new Option<string>("--from") { Description = "Environment whose tested release is promoted, e.g. staging", HelpName = "ENV", Required = true };
        var to = new Option<string>("--to") { Description = "Environment to deploy it to, e.g. production", HelpName = "ENV", Required = true };
        var sequence = new Option<long?>("--sequence") { Description = "Promote this release of the source environment (its rollout must have succeeded); default the newest that did", HelpName = "N" };
        var key = SigningKeys.Option();
        var watch = new Option<bool>("--watch") { Description = "Follow the rollout until it ends; exit 1 unless it succeeds" };
        var ttl = DeployCommand.TtlOption();
        var command = new Command("promote", "Deploy to another environment exactly the image digests that ran in one") { app, from, to, sequence, key, watch, ttl };
        command.Validators.Add(result =>
        {
            if (result.GetValue(from) is { } source && source == result.GetValue(to))
            {
                result.AddError("--from and --to must name different environments");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var appName = parse.GetRequiredValue(app);
            var source = parse.GetRequiredValue(from);
            var target = parse.GetRequiredValue(to);
            using var api = runtime.Connect(parse);
            var release = await SucceededAsync(api, appName, source, parse.GetValue(sequence), cancellationToken);
            var definition = StoredRelease.Definition(release);
            var promotedFrom = string.Create(CultureInfo.InvariantCulture, $"{source}#{release.Sequence}");
            runtime.Renderer.Line(string.Create(CultureInfo.InvariantCulture,
                $"promoting {appName} {source} #{release.Sequence} to {target}: {string.Join(", ", definition.Images().Select(i => i.Image).Distinct(StringComparer.Ordinal))}"));
            return await ReleaseSubmitter.SubmitAsync(runtime, api, definition, target, parse.GetValue(key), parse.GetValue(ttl),
                supersede: false, parse.GetValue(watch), cancellationToken, promotedFrom: promotedFrom);
        });
        return command;
    }

    // The newest release of APP/ENV (or #N) whose rollout succeeded: only what ran is promoted.
    private static async Task<Release> SucceededAsync(IFleetApi api, string app, string environment, long? sequence, CancellationToken cancellationToken)
    {
        var releases = (await api.ListReleasesAsync(new ListReleasesRequest { App = app, Environment = environment }, cancellationToken)).Releases
            .Where(r => sequence is null || r.Sequence == sequence).OrderByDescending(r => r.Sequence).ToList();
        if (sequence is { } wanted && releases.Count == 0)
        {
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"no release #{wanted} of {app}/{environment}; see fleetctl releases list --app {app}"));
        }

        foreach (var release in releases)
        {
            var rollout = (await api.GetReleaseAsync(new GetReleaseRequest { ReleaseId = release.ReleaseId }, cancellationToken)).Rollout;
            if (rollout?.State == RolloutState.Succeeded)
            {
                return release;
            }

            if (sequence is not null)
            {
                throw new CliException(string.Create(CultureInfo.InvariantCulture,
                    $"release #{release.Sequence} of {app}/{environment} did not run to success (rollout {(rollout is null ? "none" : RolloutFormatter.StateName(rollout.State))}); only a release that ran is promoted"));
            }
        }

        throw new CliException($"no release of {app}/{environment} has run to success yet; nothing to promote");
    }
}
