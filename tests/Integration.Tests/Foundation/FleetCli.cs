using System.Text.Json;
using Fleet.Cli;

namespace Fleet.Integration.Tests.Foundation;

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>fleetctl run in-process with its own config folder, as an operator on another machine would.</summary>
internal sealed class FleetCli(string configDirectory)
{
    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new Dictionary<string, string?> { ["FLEET_CONFIG_DIR"] = configDirectory, ["HOME"] = configDirectory };
        var code = await CliApp.RunAsync(args, stdout, stderr, environment);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"fleetctl {string.Join(' ', args)} failed: {result}");
        return result.Stdout;
    }

    public async Task<JsonElement> JsonAsync(params string[] args)
    {
        using var document = JsonDocument.Parse(await OkAsync([.. args, "--output", "json"]));
        return document.RootElement.Clone();
    }

    public async Task LoginAsync(ControllerEndpoint controller, string token) =>
        await OkAsync("login", "--controller", controller.Url, "--ca-pin", controller.CaPin, "--token", token);
}

internal sealed record ControllerEndpoint(string Url, string CaPin);
