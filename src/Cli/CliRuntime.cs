using System.CommandLine;
using Fleet.Cli.Config;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Core.Trust;

namespace Fleet.Cli;

/// <summary>What every command gets: its writers, the environment, the clock, the config and the controller.</summary>
internal sealed class CliRuntime(
    TextWriter output,
    TextWriter error,
    IReadOnlyDictionary<string, string?> environment,
    TimeProvider time,
    IFleetApiFactory apiFactory,
    bool isTerminal = false,
    TextReader? terminalInput = null)
{
    public TextWriter Error { get; } = error;

    /// <summary>The process environment (a test's own in tests).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; } = environment;

    public TimeProvider Time { get; } = time;

    public IFleetApiFactory ApiFactory { get; } = apiFactory;

    public Renderer Renderer { get; } = new(output, isTerminal, environment.ContainsKey("NO_COLOR"));

    public ConfigStore Config { get; } = new(ConfigPaths.Resolve(environment));

    /// <summary>Operator signing keys: the <c>keys</c> folder beside the config file (0700, private keys 0600).</summary>
    public OperatorKeyStore Keys => new(Path.Combine(Path.GetDirectoryName(Config.FilePath)!, "keys"));

    /// <summary>The operator's own signed trust policy: <c>trust.json</c> beside the config file.</summary>
    public string TrustPolicyPath => Path.Combine(Path.GetDirectoryName(Config.FilePath)!, "trust.json");

    /// <summary>True when a person at a terminal can answer <see cref="Ask"/>.</summary>
    public bool CanAsk => terminalInput is not null;

    /// <summary>Asks a yes/no question on the terminal; only "y" or "yes" is a yes.</summary>
    public bool Ask(string question)
    {
        var input = terminalInput ?? throw new InvalidOperationException("there is no terminal to ask on");
        Renderer.Prompt($"{question} [y/N] ");
        var answer = input.ReadLine()?.Trim();
        return string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The global <c>--context NAME</c> option; recursive, so every command accepts it.</summary>
    public Option<string?> ContextOption { get; } = new("--context")
    {
        Description = "Use this context from the config instead of the current one",
        HelpName = "NAME",
        Recursive = true,
    };

    /// <summary>A client for the context chosen by <c>--context</c>, else the current one.</summary>
    public IFleetApi Connect(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var (_, context) = Config.Resolve(parse.GetValue(ContextOption));
        return ApiFactory.Create(context);
    }
}
