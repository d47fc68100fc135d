using Fleet.Cli.Config;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Cli.Tests.Support;

/// <summary>Runs fleetctl in-process with a private config folder, a fake controller and a fake clock.</summary>
internal sealed class CliHarness : IDisposable
{
    public const string Pin = "sha256:0000000000000000000000000000000000000000000000000000000000000001";
    public const string OtherPin = "sha256:0000000000000000000000000000000000000000000000000000000000000002";
    public const string Token = "fleet_api_0123456789abcdef_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private readonly string _root = Directory.CreateTempSubdirectory("fleetctl-tests-").FullName;

    public CliHarness()
    {
        ConfigFolder = Path.Combine(_root, "fleet");
        Environment = new Dictionary<string, string?> { ["FLEET_CONFIG_DIR"] = ConfigFolder };
    }

    public static DateTimeOffset Now { get; } = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public string ConfigFolder { get; }

    public string ConfigPath => Path.Combine(ConfigFolder, ConfigPaths.FileName);

    public Dictionary<string, string?> Environment { get; }

    public FakeFleetApiFactory Factory { get; } = new();

    public FakeFleetApi Api => Factory.Api;

    public FakeTimeProvider Time { get; } = new(Now);

    /// <summary>What a person types at the terminal; null: stdin is not a terminal.</summary>
    public string? TerminalInput { get; set; }

    public string Out { get; private set; } = "";

    public string Error { get; private set; } = "";

    public string TempPath(string name) => Path.Combine(_root, name);

    public async Task<int> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = TerminalInput is null ? null : new StringReader(TerminalInput);
        var runtime = new CliRuntime(output, error, Environment, Time, Factory, terminalInput: input);
        var code = await CliApp.RunAsync(args, output, runtime, TestContext.Current.CancellationToken);
        Out = output.ToString();
        Error = error.ToString();
        return code;
    }

    /// <summary>Saves contexts "dev" (current) and "prod" as fleetctl login would.</summary>
    public void SaveTwoContexts()
    {
        var config = new CliConfig { CurrentContext = "dev" };
        config.Contexts["dev"] = new ControllerContext("https://127.0.0.1:7443", Pin, Token);
        config.Contexts["prod"] = new ControllerContext("https://127.0.0.1:8443", OtherPin, Token);
        new ConfigStore(ConfigPath).Save(config);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
