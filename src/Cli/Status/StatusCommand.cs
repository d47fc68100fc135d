using System.CommandLine;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Status;

/// <summary><c>fleetctl status</c>: the fleet at a glance.</summary>
internal static class StatusCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var output = OutputOption.Create();
        var command = new Command("status", "Show the fleet at a glance: agent counts by state and each agent's last status") { output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            GetFleetStatusResponse status;
            using (var api = runtime.Connect(parse))
            {
                status = await api.GetFleetStatusAsync(new GetFleetStatusRequest(), cancellationToken);
            }

            var now = runtime.Time.GetUtcNow();
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(StatusFormatter.ToJson(status, now), CliJsonContext.Output.FleetStatusJson);
            }
            else
            {
                runtime.Renderer.Write(StatusFormatter.Render(status, now));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
