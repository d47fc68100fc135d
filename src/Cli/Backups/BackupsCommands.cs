using System.CommandLine;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Backups;

/// <summary>
/// <c>fleetctl backups list|run|restore|verify</c>. The list comes from the controller's record of
/// what agents reported; run, restore and verify are carried out by the connected agent now.
/// </summary>
internal static class BackupsCommands
{
    public static Command Create(CliRuntime runtime) => new("backups", "List, run, restore and verify database backups")
    {
        List(runtime),
        Run(runtime),
        Restore(runtime),
        Verify(runtime),
    };

    private static Command List(CliRuntime runtime)
    {
        var agent = new Option<string?>("--agent") { Description = "Only this agent's backups" };
        var app = new Option<string?>("--app") { Description = "Only this app's backups" };
        var name = new Option<string?>("--name") { Description = "Only this backup declaration (e.g. db)" };
        var all = new Option<bool>("--all") { Description = "Also list verify and restore runs" };
        var output = OutputOption.Create();
        var command = new Command("list", "List backups the agents reported, newest first (failed runs too)") { agent, app, name, all, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new ListBackupsRequest
            {
                Agent = parse.GetValue(agent) ?? "",
                App = parse.GetValue(app) ?? "",
                Name = parse.GetValue(name) ?? "",
                Operation = parse.GetValue(all) ? BackupOperation.Unspecified : BackupOperation.Backup,
            };
            ListBackupsResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.ListBackupsAsync(request, cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(BackupFormatter.ToJson(response.Runs), CliJsonContext.Output.BackupListJson);
            }
            else if (response.Runs.Count == 0)
            {
                runtime.Renderer.Line("No backups reported yet.");
            }
            else
            {
                runtime.Renderer.Write(BackupFormatter.Table(response.Runs, runtime.Time.GetUtcNow()));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Run(CliRuntime runtime)
    {
        var (agent, app, name, output) = Target();
        var command = new Command("run", "Back up one declared database now, on its agent (role deployer)") { agent, app, name, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Progress(runtime, parse, output, $"Backing up {parse.GetValue(app)}/{parse.GetValue(name)} on {parse.GetValue(agent)}…");
            using var api = runtime.Connect(parse);
            var response = await api.RunBackupAsync(new RunBackupRequest { Agent = parse.GetRequiredValue(agent), App = parse.GetRequiredValue(app), Name = parse.GetRequiredValue(name) }, cancellationToken);
            return Done(runtime, parse, output, response.Detail, response.Report);
        });
        return command;
    }

    private static Command Restore(CliRuntime runtime)
    {
        var (agent, app, name, output) = Target();
        var backup = new Option<string>("--backup") { Description = "The backup id (fleetctl backups list)", Required = true };
        var database = new Option<string>("--to-database") { Description = "The database to create and restore into; it must not exist", Required = true };
        var command = new Command("restore", "Restore a backup into a new database on the agent's server (role admin)") { agent, app, name, backup, database, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Progress(runtime, parse, output, $"Restoring {parse.GetValue(backup)} into database {parse.GetValue(database)} on {parse.GetValue(agent)}…");
            using var api = runtime.Connect(parse);
            var response = await api.RestoreBackupAsync(new RestoreBackupRequest
            {
                Agent = parse.GetRequiredValue(agent),
                App = parse.GetRequiredValue(app),
                Name = parse.GetRequiredValue(name),
                BackupId = parse.GetRequiredValue(backup),
                ToDatabase = parse.GetRequiredValue(database),
            }, cancellationToken);
            return Done(runtime, parse, output, response.Detail, response.Report);
        });
        return command;
    }

    private static Command Verify(CliRuntime runtime)
    {
        var (agent, app, name, output) = Target();
        var backup = new Option<string?>("--backup") { Description = "The backup id; default: the newest" };
        var command = new Command("verify", "Restore a backup into a scratch database, check it and drop it (role deployer)") { agent, app, name, backup, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Progress(runtime, parse, output, $"Verifying {parse.GetValue(app)}/{parse.GetValue(name)} on {parse.GetValue(agent)}…");
            using var api = runtime.Connect(parse);
            var response = await api.VerifyBackupAsync(new VerifyBackupRequest
            {
                Agent = parse.GetRequiredValue(agent),
                App = parse.GetRequiredValue(app),
                Name = parse.GetRequiredValue(name),
                BackupId = parse.GetValue(backup) ?? "",
            }, cancellationToken);
            return Done(runtime, parse, output, response.Detail, response.Report);
        });
        return command;
    }

    private static (Option<string> Agent, Option<string> App, Option<string> Name, Option<OutputFormat> Output) Target() => (
        new Option<string>("--agent") { Description = "The agent that runs the backup", Required = true },
        new Option<string>("--app") { Description = "The app the backup belongs to (host for agent-local ones)", Required = true },
        new Option<string>("--name") { Description = "The backup's name in the app, e.g. db", Required = true },
        OutputOption.Create());

    // On stderr, so that json on stdout stays clean.
    private static void Progress(CliRuntime runtime, ParseResult parse, Option<OutputFormat> output, string text)
    {
        if (parse.GetValue(output) != OutputFormat.Json)
        {
            runtime.Error.WriteLine(text);
        }
    }

    private static int Done(CliRuntime runtime, ParseResult parse, Option<OutputFormat> output, string detail, BackupReport report)
    {
        if (parse.GetValue(output) == OutputFormat.Json)
        {
            runtime.Renderer.Json(new BackupCommandJson(detail, BackupFormatter.ToJson(parse.GetRequiredValue<string>("--agent"), report, null)), CliJsonContext.Output.BackupCommandJson);
        }
        else
        {
            runtime.Renderer.Line(detail);
        }

        return ExitCodes.Ok;
    }
}
