using System.CommandLine;
using Fleet.Cli.Output;
using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;

namespace Fleet.Cli.Events;

/// <summary><c>fleetctl events [--since 1h] [--app A] [--limit N]</c>: the audit log, newest first.</summary>
internal static class EventsCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var since = new Option<TimeSpan?>("--since")
        {
            Description = "Only events of the last DURATION, e.g. 30m, 1h, 7d (default: all)",
            HelpName = "DURATION",
            CustomParser = result =>
            {
                if (!Parsing.Duration.TryParse(result.Tokens.Single().Value, out var parsed, out var error))
                {
                    result.AddError($"--since: {error}");
                    return null;
                }

                return parsed;
            },
        };
        var app = new Option<string?>("--app") { Description = "Only releases, rollouts and backups of this app", HelpName = "APP" };
        var limit = new Option<int>("--limit") { Description = "At most N events, 1-1000 (default 100)", HelpName = "N", DefaultValueFactory = _ => 100 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1000)
            {
                result.AddError("--limit must be between 1 and 1000");
            }
        });
        var output = OutputOption.Create();
        var command = new Command("events", "Show the audit log: who (token) did what, to which app and environment, when") { since, app, limit, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var now = runtime.Time.GetUtcNow();
            var request = new ListEventsRequest { App = parse.GetValue(app) ?? "", Limit = parse.GetValue(limit) };
            if (parse.GetValue(since) is { } window)
            {
                request.Since = Timestamp.FromDateTimeOffset(now - window);
            }

            ListEventsResponse response;
            using (var api = runtime.Connect(parse))
            {
                response = await api.ListEventsAsync(request, cancellationToken);
            }

            if (parse.GetValue(output) == OutputFormat.Json)
            {
                runtime.Renderer.Json(new EventListJson([.. response.Events.Select(ToJson)]), CliJsonContext.Output.EventListJson);
            }
            else if (response.Events.Count == 0)
            {
                runtime.Renderer.Line("No events.");
            }
            else
            {
                runtime.Renderer.Write(Table(response.Events, now));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static EventJson ToJson(AuditEvent e) =>
        new(e.Id, Humanize.Iso(e.At), e.Action, e.TokenId, e.TokenDescription, e.Subject, e.App, e.Environment, e.Detail, [.. e.Signers]);

    private static Table Table(IEnumerable<AuditEvent> events, DateTimeOffset now)
    {
        var table = Renderer.Table("WHEN", "WHO", "ACTION", "SUBJECT", "DETAIL");
        foreach (var e in events)
        {
            var who = e.TokenDescription.Length == 0 ? $"token {e.TokenId}" : $"{e.TokenDescription} ({e.TokenId})";
            var detail = e.Signers.Count == 0 ? e.Detail : $"{e.Detail}; keys {string.Join(",", e.Signers)}";
            table.AddRow(Humanize.Relative(e.At, now), Markup.Escape(who), e.Action, Markup.Escape(e.Subject), Markup.Escape(detail));
        }

        return table;
    }
}
