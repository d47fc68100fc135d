using System.CommandLine;
using Fleet.Cli.Output;
using Fleet.Cli.Parsing;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Agents;

/// <summary><c>fleetctl agents list [--selector k=v]</c>, <c>agents show NAME</c>, <c>agents revoke NAME</c>.</summary>
internal static class AgentsCommands
{
    public static Command Create(CliRuntime runtime) => new("agents", "List, inspect and revoke agents")
    {
        List(runtime),
        Show(runtime),
        Revoke(runtime),
    };

    private static Command List(CliRuntime runtime)
    {
        var selector = new Option<string[]>("--selector", "-l")
        {
            Description = "Only agents whose labels match: key=value, repeated or comma-separated (all must match)",
            HelpName = "KEY=VALUE",
        };
        selector.Validators.Add(result =>
        {
            if (!LabelSelector.TryParse(result.GetValueOrDefault<string[]>() ?? [], out _, out var error))
            {
                result.AddError($"--selector: {error}");
            }
        });
        var output = OutputOption.Create();
        var command = new Command("list", "List agents with their state and last status") { selector, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The validator has refused bad selectors already.
            _ = LabelSelector.TryParse(parse.GetValue(selector) ?? [], out var labels, out _);
            var request = new ListAgentsRequest();
            foreach (var (key, value) in labels)
            {
                request.LabelSelector[key] = value;
            }

            ListAgentsResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.ListAgentsAsync(request, cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(AgentFormatter.ToJson(response.Agents), CliJsonContext.Output.AgentListJson);
            }
            else if (response.Agents.Count == 0)
            {
                runtime.Renderer.Line(labels.Count == 0 ? "No agents enrolled yet." : "No agents match the selector.");
            }
            else
            {
                runtime.Renderer.Write(AgentFormatter.Table(response.Agents, runtime.Time.GetUtcNow()));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliRuntime runtime)
    {
        var name = AgentNames.CreateArgument();
        var output = OutputOption.Create();
        var command = new Command("show", "Show one agent in detail") { name, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            GetAgentResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.GetAgentAsync(new GetAgentRequest { Name = parse.GetRequiredValue(name) }, cancellationToken);
            }

            WriteAgent(runtime, response.Agent, parse.GetValue(output));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke(CliRuntime runtime)
    {
        var name = AgentNames.CreateArgument();
        var output = OutputOption.Create();
        var command = new Command("revoke", "Revoke an agent: the controller closes its stream and refuses it from now on") { name, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            RevokeAgentResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.RevokeAgentAsync(new RevokeAgentRequest { Name = parse.GetRequiredValue(name) }, cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(AgentFormatter.ToJson(response.Agent), CliJsonContext.Output.AgentJson);
            }
            else
            {
                runtime.Renderer.Line($"Agent {response.Agent.Name} revoked; it can no longer connect.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteAgent(CliRuntime runtime, AgentSummary agent, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            runtime.Renderer.Json(AgentFormatter.ToJson(agent), CliJsonContext.Output.AgentJson);
        }
        else
        {
            runtime.Renderer.Write(AgentFormatter.Details(agent, runtime.Time.GetUtcNow()));
        }
    }
}
