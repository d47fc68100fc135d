using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Keys;
using Fleet.Contracts.V1;
using Fleet.Core.Releases;
using Fleet.Core.Trust;

namespace Fleet.Cli.Deploy;

/// <summary>
/// <c>fleetctl rollback APP --env E [--to-sequence N]</c>: signs a new release (next sequence)
/// with the services of an older stored one (default: the one before the latest) and submits
/// it, superseding a rollout still in progress.
/// </summary>
internal static class RollbackCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var app = new Argument<string>("APP") { Description = "The app to roll back" };
        var environment = DeployCommand.EnvironmentOption();
        var toSequence = new Option<long?>("--to-sequence") { Description = "Return to the release with this sequence (default: the one before the latest)", HelpName = "N" };
        var key = SigningKeys.Option();
        var watch = new Option<bool>("--watch") { Description = "Follow the rollout until it ends; exit 1 unless it succeeds" };
        var ttl = DeployCommand.TtlOption();
        var command = new Command("rollback", "Deploy an older release again, as a new signed release") { app, environment, toSequence, key, watch, ttl };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var appName = parse.GetRequiredValue(app);
            var env = parse.GetRequiredValue(environment);
            using var api = runtime.Connect(parse);
            var releases = (await api.ListReleasesAsync(new ListReleasesRequest { App = appName, Environment = env }, cancellationToken)).Releases
                .OrderByDescending(r => r.Sequence).ToList();
            var wanted = parse.GetValue(toSequence);
            var target = wanted is { } sequence
                ? releases.FirstOrDefault(r => r.Sequence == sequence)
                    ?? throw new CliException(string.Create(CultureInfo.InvariantCulture, $"no release #{sequence} of {appName}/{env}; see fleetctl releases list --app {appName}"))
                : releases.Skip(1).FirstOrDefault()
                    ?? throw new CliException($"{appName}/{env} has no earlier release to roll back to");
            ReleaseDefinition definition;
            try
            {
                // The payload was verified by the controller when stored; re-signing it is the operator's decision.
                definition = ReleaseManifest.Parse(DsseEnvelope.Parse(target.Envelope.Span, ReleaseManifest.PayloadType).Payload).Release;
            }
            catch (Exception ex) when (ex is DsseFormatException or ReleaseValidationException)
            {
                throw new CliException($"release {target.ReleaseId} cannot be read: {ex.Message}", inner: ex);
            }

            runtime.Renderer.Line(string.Create(CultureInfo.InvariantCulture, $"rolling {appName}/{env} back to the services of #{target.Sequence} ({target.ReleaseId})"));
            return await ReleaseSubmitter.SubmitAsync(runtime, api, definition, env, parse.GetValue(key), parse.GetValue(ttl),
                supersede: true, parse.GetValue(watch), cancellationToken, rollback: true);
        });
        return command;
    }
}
