using System.CommandLine;
using System.CommandLine.Invocation;
using Fleet.Cli.Agents;
using Fleet.Cli.Backups;
using Fleet.Cli.Certificates;
using Fleet.Cli.Config;
using Fleet.Cli.Connection;
using Fleet.Cli.Deploy;
using Fleet.Cli.Events;
using Fleet.Cli.Keys;
using Fleet.Cli.Login;
using Fleet.Cli.Releases;
using Fleet.Cli.Rollouts;
using Fleet.Cli.Secrets;
using Fleet.Cli.Status;
using Fleet.Cli.Tokens;
using Fleet.Cli.Trust;
using Fleet.Cli.Version;
using Fleet.Cli.Webhooks;

namespace Fleet.Cli;

/// <summary>fleetctl: the Fleet operator CLI. Exit codes: 0 ok, 1 error, 2 usage.</summary>
internal static class CliApp
{
    public static Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyDictionary<string, string?> environment)
    {
        var isTerminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
        // Questions (releases approve) are asked only of a person: stdin and stdout both a terminal.
        var terminalInput = isTerminal && !Console.IsInputRedirected ? Console.In : null;
        var runtime = new CliRuntime(stdout, stderr, environment, TimeProvider.System, new GrpcFleetApiFactory(TimeProvider.System), isTerminal, terminalInput);
        return RunAsync(args, stdout, runtime, CancellationToken.None);
    }

    /// <summary>The seam for unit tests: a fake controller API and clock come in through <paramref name="runtime"/>.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, CliRuntime runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var root = new RootCommand("fleetctl: operate a Fleet of deployment agents")
        {
            runtime.ContextOption,
            LoginCommand.Create(runtime),
            TokensCommands.Create(runtime),
            AgentsCommands.Create(runtime),
            StatusCommand.Create(runtime),
            KeysCommands.Create(runtime),
            TrustCommands.Create(runtime),
            DeployCommand.Create(runtime),
            ReleasesCommands.Create(runtime),
            RolloutCommands.Create(runtime),
            RollbackCommand.Create(runtime),
            PromoteCommand.Create(runtime),
            CertsCommands.Create(runtime),
            BackupsCommands.Create(runtime),
            SecretsCommands.Create(runtime),
            WebhooksCommands.Create(runtime),
            EventsCommand.Create(runtime),
            ContextCommands.Create(runtime),
            VersionCommand.Create(runtime),
        };

        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await runtime.Error.WriteLineAsync($"error: {error.Message}");
            }

            await runtime.Error.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            var configuration = new InvocationConfiguration
            {
                Output = stdout,
                Error = runtime.Error,
                EnableDefaultExceptionHandler = false,
            };
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (CliException ex)
        {
            await runtime.Error.WriteLineAsync($"error: {ex.Message}");
            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await runtime.Error.WriteLineAsync("error: cancelled");
            return ExitCodes.Error;
        }
#pragma warning disable CA1031 // An operator sees one line, never a stack trace, whatever failed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await runtime.Error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Error;
        }
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? "fleetctl" : result.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
