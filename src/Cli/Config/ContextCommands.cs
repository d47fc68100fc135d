using System.CommandLine;
using Fleet.Cli.Output;
using Spectre.Console;

namespace Fleet.Cli.Config;

/// <summary><c>fleetctl context list</c> and <c>fleetctl context use NAME</c>.</summary>
internal static class ContextCommands
{
    public static Command Create(CliRuntime runtime) => new("context", "List the saved controllers and choose the current one")
    {
        List(runtime),
        Use(runtime),
    };

    private static Command List(CliRuntime runtime)
    {
        var output = OutputOption.Create();
        var command = new Command("list", "List saved contexts; * marks the current one") { output };
        command.SetAction(parse =>
        {
            var config = runtime.Config.Load();
            var contexts = config.Contexts
                .OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new ContextJson(c.Key, c.Value.Controller, c.Value.CaPin, c.Key == config.CurrentContext))
                .ToList();
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(new ContextListJson(config.CurrentContext, contexts), CliJsonContext.Output.ContextListJson);
                return ExitCodes.Ok;
            }

            var table = Renderer.Table("CURRENT", "NAME", "CONTROLLER", "CA PIN");
            foreach (var context in contexts)
            {
                table.AddRow(new Text(context.Current ? "*" : ""), new Text(context.Name), new Text(context.Controller), new Text(context.CaPin));
            }

            runtime.Renderer.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Use(CliRuntime runtime)
    {
        var name = new Argument<string>("NAME") { Description = "A context saved by fleetctl login" };
        var command = new Command("use", "Make a saved context the current one") { name };
        command.SetAction(parse =>
        {
            var config = runtime.Config.Load();
            var wanted = parse.GetRequiredValue(name);
            if (!config.Contexts.TryGetValue(wanted, out var context))
            {
                var known = config.Contexts.Count == 0 ? "none" : string.Join(", ", config.Contexts.Keys.Order(StringComparer.Ordinal));
                throw new CliException($"no context named '{wanted}' in {runtime.Config.FilePath} (known: {known})");
            }

            config.CurrentContext = wanted;
            runtime.Config.Save(config);
            runtime.Renderer.Line($"Switched to context '{wanted}' ({context.Controller}).");
            return ExitCodes.Ok;
        });
        return command;
    }
}
