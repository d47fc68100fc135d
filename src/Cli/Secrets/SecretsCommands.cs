using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Deploy;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;
using Spectre.Console;

namespace Fleet.Cli.Secrets;

/// <summary>
/// <c>fleetctl secrets set|list|rm|grant|keygen</c>. Values are sealed here for each agent's
/// encryption key and for a recovery key held by the operators; the controller stores ciphertexts.
/// </summary>
internal static partial class SecretsCommands
{
    public static Command Create(CliRuntime runtime) => new("secrets", "Sealed application secrets: the controller never sees a value")
    {
        Set(runtime),
        List(runtime),
        Remove(runtime),
        Grant(runtime),
        Keygen(runtime),
    };

    private static RecoveryKeyStore Recovery(CliRuntime runtime) => new(Path.Combine(Path.GetDirectoryName(runtime.Config.FilePath)!, "secret-keys"));

    private static Option<string?> RecoveryKeyOption() => new("--recovery-key")
    {
        Description = "Recovery key from the secret-keys folder (default: the only one there)",
        HelpName = "NAME",
    };

    private static Argument<string> AppArgument() => new("APP") { Description = "The app the secret belongs to" };

    private static Argument<string> NameArgument() => new("NAME") { Description = "Secret name: the file /run/secrets/NAME in the containers" };

    private static Command List(CliRuntime runtime)
    {
        var environment = DeployCommand.EnvironmentOption();
        var app = new Option<string?>("--app") { Description = "Only this app", HelpName = "APP" };
        var all = new Option<bool>("--all-versions") { Description = "Older versions too (kept for rollbacks)" };
        var output = OutputOption.Create();
        var command = new Command("list", "List secrets: names, versions, which agents hold a sealed copy (never values)") { environment, app, all, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ListSecretsResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.ListSecretsAsync(
                    new ListSecretsRequest { Environment = parse.GetRequiredValue(environment), App = parse.GetValue(app) ?? "", AllVersions = parse.GetValue(all) },
                    cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(new SecretListJson([.. response.Secrets.Select(ToJson)]), CliJsonContext.Output.SecretListJson);
            }
            else if (response.Secrets.Count == 0)
            {
                runtime.Renderer.Line("No secrets.");
            }
            else
            {
                var table = Renderer.Table("APP", "NAME", "VERSION", "CREATED", "LATEST", "SEALED FOR");
                foreach (var secret in response.Secrets)
                {
                    table.AddRow(secret.App, secret.Name, secret.Version[..12], secret.CreatedAt.ToDateTimeOffset().ToString("u", CultureInfo.InvariantCulture),
                        secret.Latest ? "yes" : "", Holders(secret));
                }

                runtime.Renderer.Write(table);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliRuntime runtime)
    {
        var app = AppArgument();
        var name = NameArgument();
        var environment = DeployCommand.EnvironmentOption();
        var command = new Command("rm", "Remove a secret with all its versions; releases that pin it can no longer be deployed or rolled back to") { app, name, environment };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = runtime.Connect(parse);
            var response = await api.RemoveSecretAsync(
                new RemoveSecretRequest { App = parse.GetRequiredValue(app), Environment = parse.GetRequiredValue(environment), Name = parse.GetRequiredValue(name) },
                cancellationToken);
            runtime.Renderer.Line(string.Create(CultureInfo.InvariantCulture, $"removed secret {parse.GetRequiredValue(name)}: {response.VersionsRemoved} versions"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Keygen(CliRuntime runtime)
    {
        var name = new Option<string>("--name") { Description = "Key name: lowercase letters, digits, '.', '_' or '-'", HelpName = "NAME", Required = true };
        var command = new Command("keygen", "Create a recovery key (ECDH P-256, 0600): share it only with operators who may grant secrets") { name };
        command.SetAction(parse =>
        {
            var store = Recovery(runtime);
            var fingerprint = store.Generate(parse.GetRequiredValue(name));
            runtime.Renderer.Line($"recovery key {parse.GetRequiredValue(name)} {fingerprint} in {store.Directory}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static SecretJson ToJson(SecretVersion secret) => new(
        secret.App, secret.Environment, secret.Name, secret.Version,
        secret.CreatedAt?.ToDateTimeOffset().ToString("O", CultureInfo.InvariantCulture), secret.Latest,
        [.. secret.Holders.Select(h => new SecretHolderJson(h.AgentName, h.AgentId, h.KeyFingerprint, h.Current))]);

    private static string Holders(SecretVersion secret) => string.Join(", ", secret.Holders.Select(h =>
        (h.AgentId.Length == 0 ? $"recovery {h.KeyFingerprint[..19]}" : h.AgentName) + (h.Current ? "" : " (stale key)")));
}
