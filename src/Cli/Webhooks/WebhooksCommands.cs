using System.CommandLine;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;

namespace Fleet.Cli.Webhooks;

/// <summary><c>fleetctl webhooks add|list|rm|test</c> (admin token).</summary>
internal static class WebhooksCommands
{
    public static Command Create(CliRuntime runtime) => new("webhooks", "Send notifications (rollouts, agents down, backups, certificates) to HTTP endpoints")
    {
        Add(runtime),
        List(runtime),
        Remove(runtime),
        Test(runtime),
    };

    private static Argument<string> NameArgument() => new("NAME") { Description = "The webhook's name: a-z, 0-9 and '-'" };

    private static Command Add(CliRuntime runtime)
    {
        var name = NameArgument();
        var url = new Option<string>("--url") { Description = "Where to POST: http:// or https://", HelpName = "URL", Required = true };
        var format = new Option<string>("--format")
        {
            Description = "slack ({\"text\": …}) or json (the whole notification, signed with X-Fleet-Signature-256)",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "json",
        };
        format.AcceptOnlyFromAmong("slack", "json");
        var events = new Option<string[]>("--event")
        {
            Description = "Only these notification kinds, repeated (default all): rollout.started, rollout.succeeded, rollout.failed, " +
                "rollout.rolled_back, rollout.aborted, rollout.approval_waiting, agent.down, backup.failed, backup.verify_failed, " +
                "certificate.expiring, certificate.renewal_failed",
            HelpName = "KIND",
        };
        var output = OutputOption.Create();
        var command = new Command("add", "Add a webhook; for the json format prints the signing secret, once") { name, url, format, events, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new AddWebhookRequest
            {
                Name = parse.GetRequiredValue(name),
                Url = parse.GetRequiredValue(url),
                Format = parse.GetValue(format) == "slack" ? WebhookFormat.Slack : WebhookFormat.Json,
            };
            request.Events.AddRange(parse.GetValue(events) ?? []);
            AddWebhookResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.AddWebhookAsync(request, cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(WebhookFormatter.ToJson(response.Webhook, response.Secret.Length == 0 ? null : response.Secret), CliJsonContext.Output.WebhookJson);
            }
            else
            {
                runtime.Renderer.Line($"webhook {response.Webhook.Name} added ({WebhookFormatter.Format(response.Webhook.Format)} to {response.Webhook.UrlOrigin})");
                if (response.Secret.Length > 0)
                {
                    runtime.Renderer.Line($"signing secret (shown once; check X-Fleet-Signature-256 = sha256=HMAC-SHA256(secret, body)): {response.Secret}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliRuntime runtime)
    {
        var output = OutputOption.Create();
        var command = new Command("list", "List webhooks with their deliveries and last error") { output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            ListWebhooksResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.ListWebhooksAsync(new ListWebhooksRequest(), cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(new WebhookListJson([.. response.Webhooks.Select(w => WebhookFormatter.ToJson(w))]), CliJsonContext.Output.WebhookListJson);
            }
            else if (response.Webhooks.Count == 0)
            {
                runtime.Renderer.Line("No webhooks: add one with fleetctl webhooks add NAME --url URL");
            }
            else
            {
                runtime.Renderer.Write(WebhookFormatter.Table(response.Webhooks));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliRuntime runtime)
    {
        var name = NameArgument();
        var command = new Command("rm", "Remove a webhook and its pending deliveries") { name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using (var api = runtime.Connect(parse))
            {
                await api.RemoveWebhookAsync(new RemoveWebhookRequest { Name = parse.GetRequiredValue(name) }, cancellationToken);
            }

            runtime.Renderer.Line($"webhook {parse.GetRequiredValue(name)} removed");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Test(CliRuntime runtime)
    {
        var name = NameArgument();
        var command = new Command("test", "Send a test notification now; exit 1 when the receiver did not accept it") { name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TestWebhookResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.TestWebhookAsync(new TestWebhookRequest { Name = parse.GetRequiredValue(name) }, cancellationToken);
            }

            if (!response.Delivered)
            {
                throw new CliException($"webhook {parse.GetRequiredValue(name)}: {response.Error}");
            }

            runtime.Renderer.Line($"webhook {parse.GetRequiredValue(name)}: delivered (HTTP {response.HttpStatus})");
            return ExitCodes.Ok;
        });
        return command;
    }
}
