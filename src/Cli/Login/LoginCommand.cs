using System.CommandLine;
using System.Text.RegularExpressions;
using Fleet.Cli.Config;
using Fleet.Contracts.V1;
using Fleet.Core.Transport;

namespace Fleet.Cli.Login;

/// <summary>
/// <c>fleetctl login --controller URL --ca-pin PIN (--token T | --token-file F) [--context NAME]</c>:
/// checks the token with WhoAmI, then saves the context and makes it current.
/// </summary>
internal static partial class LoginCommand
{
    public const string DefaultContext = "default";

    public static Command Create(CliRuntime runtime)
    {
        var controller = new Option<Uri>("--controller")
        {
            Description = "The controller's URL, e.g. https://fleet.example.com:7443",
            HelpName = "URL",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.Host.Length == 0)
                {
                    result.AddError($"--controller must be an https URL like https://host:7443, got '{text}'");
                    return null!;
                }

                return uri;
            },
        };
        var caPin = new Option<string>("--ca-pin")
        {
            Description = "The controller CA's pin, sha256:<64 hex> (fleet-controller prints it at start)",
            HelpName = "PIN",
            Required = true,
            CustomParser = result =>
            {
                if (!CaPin.TryParse(result.Tokens.Single().Value, out var pin, out var error))
                {
                    result.AddError($"--ca-pin: {error}");
                }

                return pin;
            },
        };
        var token = new Option<string?>("--token")
        {
            Description = "An API token, fleet_api_… (prefer --token-file: arguments show in the process list)",
            HelpName = "TOKEN",
        };
        var tokenFile = new Option<FileInfo?>("--token-file")
        {
            Description = "A file holding the API token, e.g. the controller's admin.token",
            HelpName = "FILE",
        };

        var command = new Command("login", "Check an API token against a controller and save it as a context")
        {
            controller, caPin, token, tokenFile,
        };
        command.Validators.Add(result =>
        {
            var given = (result.GetResult(token) is not null ? 1 : 0) + (result.GetResult(tokenFile) is not null ? 1 : 0);
            if (given != 1)
            {
                result.AddError("give exactly one of --token or --token-file");
            }

            if (result.GetValue(runtime.ContextOption) is { } name && !ContextName().IsMatch(name))
            {
                result.AddError($"'{name}' is not a context name: letters, digits, '.', '_' and '-', at most 63 characters");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var secret = parse.GetValue(token) ?? ReadTokenFile(parse.GetRequiredValue(tokenFile)!);
            if (!ApiToken.TryParse(secret, ApiToken.ApiKind, out _, out _))
            {
                throw CliException.Usage("the token is not an API token: it must look like fleet_api_<id>_<secret>");
            }

            var context = new ControllerContext(
                parse.GetRequiredValue(controller).GetLeftPart(UriPartial.Authority),
                parse.GetRequiredValue(caPin),
                secret.Trim());
            var name = parse.GetValue(runtime.ContextOption) ?? DefaultContext;

            WhoAmIResponse whoAmI;
            using (var api = runtime.ApiFactory.Create(context))
            {
                whoAmI = await api.WhoAmIAsync(cancellationToken);
            }

            var config = runtime.Config.LoadOrEmpty();
            config.Contexts[name] = context;
            config.CurrentContext = name;
            runtime.Config.Save(config);

            runtime.Renderer.Line(
                $"Logged in to {context.Controller} with token {whoAmI.TokenId} ({Tokens.TokenRoles.Name(whoAmI.Role)}); " +
                $"context '{name}' is current, saved in {runtime.Config.FilePath}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string ReadTokenFile(FileInfo file)
    {
        try
        {
            return File.ReadAllText(file.FullName).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the token file {file.FullName}: {ex.Message}", inner: ex);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\z")]
    private static partial Regex ContextName();
}
