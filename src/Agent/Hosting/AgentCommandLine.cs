using System.CommandLine;
using Fleet.Agent.Identity;

namespace Fleet.Agent.Hosting;

/// <summary>
/// `fleet-agent enroll …`, `fleet-agent trust install …` and `fleet-agent run …` (the default). Values are checked while
/// parsing, so bad input is a usage error (exit 2) before anything is touched.
/// </summary>
internal sealed partial class AgentCommandLine
{
    public const string DefaultStateDir = "/var/lib/fleet-agent";
    public const string DefaultMetricsListen = "127.0.0.1:9471";
    public const string StateDirVariable = "FLEET_AGENT_STATE_DIR";

    private readonly Func<string, string?> _environment;
    private readonly Option<Uri> _controller = new("--controller") { Description = "Controller URL, https://HOST:PORT", Required = true, CustomParser = ParseController };
    private readonly Option<string> _token = new("--token") { Description = "One-time join token (fleetctl tokens create --role agent-join)", Required = true, CustomParser = ParseToken };
    private readonly Option<string[]> _caPins = new("--ca-pin") { Description = "Controller CA fingerprint sha256:HEX; give two while the CA rotates", Required = true, CustomParser = ParsePins, Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _name = new("--name") { Description = "Agent name, unique in the fleet", Required = true, CustomParser = ParseName };
    private readonly Option<Dictionary<string, string>> _labels = new("--label") { Description = "Label key=value; repeat for more", CustomParser = ParseLabels, DefaultValueFactory = _ => [], Arity = ArgumentArity.OneOrMore };
    private readonly Option<bool> _force = new("--force") { Description = "Replace an existing identity" };

    public AgentCommandLine(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
        var enrollStateDir = StateDirOption();
        Enroll = new Command("enroll", "Enroll this machine with a controller") { _controller, _token, _caPins, _name, _labels, _force, enrollStateDir };
        Enroll.SetAction((result, cancellationToken) => EnrollAsync(result, enrollStateDir, cancellationToken));
        Run = RunCommand(new Command("run", "Run the agent (the default)"));
        Root = RunCommand(new RootCommand("fleet-agent: keeps this server connected to its Fleet controller"));
        Root.Add(Enroll);
        Root.Add(Run);
        Root.Add(TrustCommand());
    }

    public RootCommand Root { get; }

    public Command Enroll { get; }

    public Command Run { get; }

    public TextWriter Out { get; init; } = Console.Out;

    public TextWriter Error { get; init; } = Console.Error;

    /// <summary>Parses the options after the `enroll` verb; returns the request or the errors.</summary>
    public (EnrollmentRequest? Request, IReadOnlyList<string> Errors) ParseEnroll(IReadOnlyList<string> args)
    {
        var result = Root.Parse(["enroll", .. args]);
        return result.Errors.Count > 0
            ? (null, result.Errors.Select(e => e.Message).ToArray())
            : (ToRequest(result, (Option<string>)Enroll.Options.Single(o => o.Name == "--state-dir")), []);
    }

    /// <summary>Parses the options after the `run` verb.</summary>
    public (AgentRunOptions? Options, IReadOnlyList<string> Errors) ParseRun(IReadOnlyList<string> args)
    {
        var result = Root.Parse(["run", .. args]);
        return result.Errors.Count > 0
            ? (null, result.Errors.Select(e => e.Message).ToArray())
            : (ToRunOptions(result, Run), []);
    }

    public async Task<int> InvokeAsync(string[] args, CancellationToken cancellationToken)
    {
        var result = Root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Error.WriteLineAsync($"error: {error.Message}");
            }

            await Error.WriteLineAsync("Run 'fleet-agent --help' for usage.");
            return 2;
        }

        // The host handles SIGTERM/SIGINT itself (systemd stop, Ctrl+C).
        return await result.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = Out, Error = Error }, cancellationToken);
    }

    private Option<string> StateDirOption() => new("--state-dir")
    {
        Description = $"State folder (default ${StateDirVariable} or {DefaultStateDir})",
        DefaultValueFactory = _ => _environment(StateDirVariable) is { Length: > 0 } dir ? dir : DefaultStateDir,
    };

    private TCommand RunCommand<TCommand>(TCommand command)
        where TCommand : Command
    {
        command.Add(StateDirOption());
        var metricsListen = new Option<string>("--metrics-listen")
        {
            Description = "Prometheus scrape address IP:PORT, or 'off'",
            DefaultValueFactory = _ => DefaultMetricsListen,
        };
        metricsListen.Validators.Add(ValidateMetricsListen);
        command.Add(metricsListen);
        command.SetAction((result, cancellationToken) => RunAsync(ToRunOptions(result, command), cancellationToken));
        return command;
    }

    private EnrollmentRequest ToRequest(ParseResult result, Option<string> stateDir) => new(
        result.GetRequiredValue(_controller),
        result.GetRequiredValue(_token),
        result.GetRequiredValue(_caPins),
        result.GetRequiredValue(_name),
        result.GetValue(_labels) ?? [],
        result.GetRequiredValue(stateDir),
        result.GetValue(_force));

    private static AgentRunOptions ToRunOptions(ParseResult result, Command command) => new(
        result.GetRequiredValue((Option<string>)command.Options.Single(o => o.Name == "--state-dir")),
        MetricsEndpoint(result.GetRequiredValue((Option<string>)command.Options.Single(o => o.Name == "--metrics-listen"))));
}
