using System.CommandLine;
using System.Globalization;
using Fleet.Cli.Output;
using Fleet.Cli.Parsing;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Tokens;

/// <summary><c>fleetctl tokens create --role … [--ttl 1h] [--uses N] [--description D]</c>, <c>tokens list</c>, <c>tokens revoke ID</c>.</summary>
internal static class TokensCommands
{
    public static Command Create(CliRuntime runtime) => new("tokens", "Create, list and revoke API and agent join tokens")
    {
        CreateCommand(runtime),
        TokensListCommands.List(runtime),
        TokensListCommands.Revoke(runtime),
    };

    private static Command CreateCommand(CliRuntime runtime)
    {
        var role = new Option<TokenRole>("--role")
        {
            Description = $"What the token may do: {TokenRoles.Names}",
            HelpName = "ROLE",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (!TokenRoles.TryParse(text, out var parsed))
                {
                    result.AddError($"--role must be one of {TokenRoles.Names}, got '{text}'");
                }

                return parsed;
            },
        };
        var ttl = new Option<TimeSpan?>("--ttl")
        {
            Description = "How long the token is valid, e.g. 30s, 15m, 1h, 7d (default: join tokens 1h, API tokens never expire)",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                if (!Duration.TryParse(result.Tokens.Single().Value, out var parsed, out var error))
                {
                    result.AddError($"--ttl: {error}");
                    return null;
                }

                return parsed;
            },
        };
        var uses = new Option<int?>("--uses")
        {
            Description = "How many agents a join token may enroll (default 1)",
            HelpName = "N",
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
                {
                    result.AddError($"--uses must be a whole number of at least 1, got '{text}'");
                    return null;
                }

                return count;
            },
        };
        var description = new Option<string?>("--description") { Description = "A note saying what the token is for", HelpName = "TEXT" };
        var output = OutputOption.Create();

        var command = new Command("create", "Create a token; in table mode stdout holds the token alone, so $(fleetctl tokens create …) works")
        {
            role, ttl, uses, description, output,
        };
        command.Validators.Add(result =>
        {
            // Read the raw token: a value that failed to parse must not be converted here.
            var roleText = result.GetResult(role)?.Tokens.SingleOrDefault()?.Value;
            if (result.GetResult(uses) is not null
                && roleText is not null
                && TokenRoles.TryParse(roleText, out var parsed)
                && parsed != TokenRole.AgentJoin)
            {
                result.AddError("--uses applies only to --role agent-join");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new CreateTokenRequest
            {
                Role = parse.GetValue(role),
                TtlSeconds = (long)(parse.GetValue(ttl) ?? TimeSpan.Zero).TotalSeconds,
                MaxUses = parse.GetValue(uses) ?? 0,
                Description = parse.GetValue(description) ?? "",
            };
            CreateTokenResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.CreateTokenAsync(request, cancellationToken);
            }

            // The controller returns the whole token (fleet_…_<id>_<secret>) in secret, once.
            var token = response.Secret;
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(
                    new CreatedTokenJson(response.TokenId, TokenRoles.Name(request.Role), token, Humanize.Iso(response.ExpiresAt)),
                    CliJsonContext.Output.CreatedTokenJson);
            }
            else
            {
                runtime.Renderer.Line(token);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
