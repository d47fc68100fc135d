using System.CommandLine;
using System.Reflection;
using Fleet.Cli.Output;

namespace Fleet.Cli.Version;

internal static class VersionCommand
{
    /// <summary>The informational version this build was stamped with, e.g. 0.1.0+abc123.</summary>
    public static string Current { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static Command Create(CliRuntime runtime)
    {
        var output = OutputOption.Create();
        var command = new Command("version", "Print fleetctl's version") { output };
        command.SetAction(parse =>
        {
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(new VersionJson(Current), CliJsonContext.Output.VersionJson);
            }
            else
            {
                runtime.Renderer.Line($"fleetctl {Current}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
