using System.CommandLine;
using Fleet.Cli.Connection;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Rollouts;

/// <summary><c>fleetctl rollout status|pause|resume|abort|promote [ID | --app A --env E]</c>.</summary>
internal static class RolloutCommands
{
    public static Command Create(CliRuntime runtime) => new("rollout", "Follow and steer rollouts")
    {
        Status(runtime),
        Steer(runtime, "pause", "Start no new hosts until resumed (hosts in progress finish)", (api, id, ct) => api.PauseRolloutAsync(id, ct)),
        Steer(runtime, "resume", "Continue a paused rollout", (api, id, ct) => api.ResumeRolloutAsync(id, ct)),
        Steer(runtime, "abort", "Stop the rollout and return updated hosts to their previous release", (api, id, ct) => api.AbortRolloutAsync(id, ct)),
        Steer(runtime, "promote", "Roll a canary out to every remaining host", (api, id, ct) => api.PromoteRolloutAsync(id, ct)),
    };

    private static Command Status(CliRuntime runtime)
    {
        var selection = new Selection();
        var watch = new Option<bool>("--watch") { Description = "Follow the rollout until it ends" };
        var output = OutputOption.Create();
        var command = new Command("status", "Show a rollout and every agent's progress") { selection.Id, selection.App, selection.Environment, watch, output };
        selection.Validate(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = runtime.Connect(parse);
            var rollout = await selection.ResolveAsync(api, parse, cancellationToken);
            if (parse.GetValue(watch))
            {
                return await RolloutWatch.RunAsync(runtime, api, rollout.RolloutId, cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(RolloutFormatter.ToJson(rollout), CliJsonContext.Output.RolloutJson);
            }
            else
            {
                RolloutFormatter.Print(runtime.Renderer, rollout, runtime.Time.GetUtcNow());
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Steer(CliRuntime runtime, string name, string description, Func<IFleetApi, string, CancellationToken, Task<Rollout>> call)
    {
        var selection = new Selection();
        var command = new Command(name, description) { selection.Id, selection.App, selection.Environment };
        selection.Validate(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var api = runtime.Connect(parse);
            var id = (await selection.ResolveAsync(api, parse, cancellationToken)).RolloutId;
            runtime.Renderer.Line(RolloutFormatter.Summary(await call(api, id, cancellationToken)));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A rollout named by id, or the latest one of --app and --env.</summary>
    private sealed class Selection
    {
        public Argument<string?> Id { get; } = new("ID") { Description = "Rollout id; or give --app and --env for the latest", Arity = ArgumentArity.ZeroOrOne };

        public Option<string?> App { get; } = new("--app") { Description = "The app (with --env): its latest rollout", HelpName = "APP" };

        public Option<string?> Environment { get; } = new("--env") { Description = "The environment (with --app)", HelpName = "ENV" };

        public void Validate(Command command) => command.Validators.Add(result =>
        {
            var hasId = result.GetResult(Id) is { Tokens.Count: > 0 };
            var hasApp = result.GetResult(App) is not null && result.GetResult(Environment) is not null;
            if (hasId == hasApp)
            {
                result.AddError("name the rollout: either its ID, or --app APP --env ENV for the latest one");
            }
        });

        public async Task<Rollout> ResolveAsync(IFleetApi api, ParseResult parse, CancellationToken cancellationToken)
        {
            var request = new GetRolloutRequest
            {
                RolloutId = parse.GetValue(Id) ?? "",
                App = parse.GetValue(App) ?? "",
                Environment = parse.GetValue(Environment) ?? "",
            };
            return (await api.GetRolloutAsync(request, cancellationToken)).Rollout;
        }
    }
}
