using System.CommandLine;
using Fleet.Cli.Keys;
using Fleet.Core.Releases;

namespace Fleet.Cli.Deploy;

/// <summary><c>fleetctl deploy -f fleet.yaml --env E [--key NAME] [--supersede] [--watch] [--ttl 24h]</c>.</summary>
internal static class DeployCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var file = new Option<FileInfo>("--file", "-f") { Description = "The release file (docs/fleet-yaml.md)", HelpName = "FILE", Required = true };
        var environment = EnvironmentOption();
        var key = SigningKeys.Option();
        var supersede = new Option<bool>("--supersede") { Description = "Replace a rollout of the same app and environment that is still running" };
        var watch = new Option<bool>("--watch") { Description = "Follow the rollout until it ends; exit 1 unless it succeeds" };
        var ttl = TtlOption();
        var command = new Command("deploy", "Pin images by digest, sign the release and start its rollout") { file, environment, key, supersede, watch, ttl };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ReleaseDefinition definition;
            try
            {
                definition = ReleaseFile.Load(parse.GetRequiredValue(file).FullName);
            }
            catch (ReleaseValidationException ex)
            {
                throw new CliException($"{parse.GetRequiredValue(file).Name}: {ex.Message}", inner: ex);
            }
            catch (IOException ex)
            {
                throw new CliException(ex.Message, inner: ex);
            }

            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
            {
                try
                {
                    definition = await new RegistryDigestResolver(http).PinAsync(definition, cancellationToken);
                }
                catch (Exception ex) when (ex is RegistryException or HttpRequestException or ArgumentException)
                {
                    throw new CliException($"cannot resolve image digests: {ex.Message}", inner: ex);
                }
            }

            using var api = runtime.Connect(parse);
            return await ReleaseSubmitter.SubmitAsync(runtime, api, definition, parse.GetRequiredValue(environment), parse.GetValue(key),
                parse.GetValue(ttl), parse.GetValue(supersede), parse.GetValue(watch), cancellationToken);
        });
        return command;
    }

    public static Option<string> EnvironmentOption() => new("--env") { Description = "Target environment, e.g. staging", HelpName = "ENV", Required = true };

    public static Option<TimeSpan?> TtlOption() => new("--ttl")
    {
        Description = "How long agents accept the signed release (default 24h, or the environment's max validity in the trust policy when shorter)",
        HelpName = "DURATION",
        CustomParser = result =>
        {
            if (!Parsing.Duration.TryParse(result.Tokens.Single().Value, out var parsed, out var error))
            {
                result.AddError($"--ttl: {error}");
            }

            return parsed;
        },
    };
}
