using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Fleet.Cli.Keys;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Deploy;

/// <summary>
/// <c>fleetctl rollback APP --env E [--to-sequence N | --to-digest sha256:…]</c>: signs a new
/// release (next sequence) with the services of an older stored one (default: the one before the
/// latest; or the newest earlier one whose images include the digest) and submits it, superseding
/// a rollout still in progress.
/// </summary>
internal static partial class RollbackCommand
{
    [GeneratedRegex("^(sha256:)?[0-9a-f]{12,64}\\z")]
    private static partial Regex DigestPattern();

    public static Command Create(CliRuntime runtime)
    {
        var app = new Argument<string>("APP") { Description = "The app to roll back" };
        var environment = DeployCommand.EnvironmentOption();
        var toSequence = new Option<long?>("--to-sequence") { Description = "Return to the release with this sequence (default: the one before the latest)", HelpName = "N" };
        var toDigest = new Option<string?>("--to-digest")
        {
            Description = "Return to the newest earlier release running this image digest (sha256:HEX, or at least 12 hex digits of it)",
            HelpName = "DIGEST",
        };
        toDigest.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } digest && !DigestPattern().IsMatch(digest))
            {
                result.AddError($"--to-digest must be sha256:HEX (at least 12 lowercase hex digits), got '{digest}'");
            }
        });
        var key = SigningKeys.Option();
        var watch = new Option<bool>("--watch") { Description = "Follow the rollout until it ends; exit 1 unless it succeeds" };
        var ttl = DeployCommand.TtlOption();
        var command = new Command("rollback", "Deploy an older release again, as a new signed release") { app, environment, toSequence, toDigest, key, watch, ttl };
        command.Validators.Add(result =>
        {
            if (result.GetResult(toSequence) is not null && result.GetResult(toDigest) is not null)
            {
                result.AddError("--to-sequence and --to-digest exclude each other");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var appName = parse.GetRequiredValue(app);
            var env = parse.GetRequiredValue(environment);
            using var api = runtime.Connect(parse);
            var releases = (await api.ListReleasesAsync(new ListReleasesRequest { App = appName, Environment = env }, cancellationToken)).Releases
                .OrderByDescending(r => r.Sequence).ToList();
            var target = Choose(releases, appName, env, parse.GetValue(toSequence), parse.GetValue(toDigest));
            var definition = StoredRelease.Definition(target);
            runtime.Renderer.Line(string.Create(CultureInfo.InvariantCulture, $"rolling {appName}/{env} back to the services of #{target.Sequence} ({target.ReleaseId})"));
            return await ReleaseSubmitter.SubmitAsync(runtime, api, definition, env, parse.GetValue(key), parse.GetValue(ttl),
                supersede: true, parse.GetValue(watch), cancellationToken, rollback: true);
        });
        return command;
    }

    // Newest first. By digest: the newest release before the latest that runs it.
    private static Release Choose(List<Release> releases, string app, string environment, long? sequence, string? digest)
    {
        if (sequence is { } wanted)
        {
            return releases.FirstOrDefault(r => r.Sequence == wanted)
                ?? throw new CliException(string.Create(CultureInfo.InvariantCulture, $"no release #{wanted} of {app}/{environment}; see fleetctl releases list --app {app}"));
        }

        if (digest is not null)
        {
            return releases.Skip(1).FirstOrDefault(r => StoredRelease.Carries(StoredRelease.Definition(r), digest))
                ?? throw new CliException($"no earlier release of {app}/{environment} runs an image with digest {digest}; see fleetctl releases list --app {app}");
        }

        return releases.Skip(1).FirstOrDefault() ?? throw new CliException($"{app}/{environment} has no earlier release to roll back to");
    }
}
