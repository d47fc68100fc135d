using System.CommandLine;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Tokens;

/// <summary><c>fleetctl tokens list</c> and <c>tokens revoke ID</c> (admin).</summary>
internal static class TokensListCommands
{
    public static Command List(CliRuntime runtime)
    {
        var output = OutputOption.Create();
        var command = new Command("list", "List API and join tokens (never their secrets), newest first") { output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ListTokensResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.ListTokensAsync(new ListTokensRequest(), cancellationToken);
            }

            var now = runtime.Time.GetUtcNow();
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(new TokenListJson([.. response.Tokens.Select(t => TokenFormatter.ToJson(t, now))]), CliJsonContext.Output.TokenListJson);
            }
            else
            {
                runtime.Renderer.Write(TokenFormatter.Table(response.Tokens, now));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Revoke(CliRuntime runtime)
    {
        var id = new Argument<string>("ID") { Description = "The token's id (fleetctl tokens list)" };
        var output = OutputOption.Create();
        var command = new Command("revoke", "Revoke a token: it is refused from its next call on") { id, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            RevokeTokenResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.RevokeTokenAsync(new RevokeTokenRequest { TokenId = parse.GetRequiredValue(id) }, cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(TokenFormatter.ToJson(response.Token, runtime.Time.GetUtcNow()), CliJsonContext.Output.TokenJson);
            }
            else
            {
                runtime.Renderer.Line($"token {response.Token.TokenId} revoked");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
