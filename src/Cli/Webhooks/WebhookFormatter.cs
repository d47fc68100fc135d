using Fleet.Cli.Output;
using Fleet.Contracts.V1;
using Spectre.Console;

namespace Fleet.Cli.Webhooks;

internal static class WebhookFormatter
{
    public static string Format(WebhookFormat format) => format == WebhookFormat.Slack ? "slack" : "json";

    public static WebhookJson ToJson(Webhook w, string? secret = null) => new(
        w.Name, w.UrlOrigin, Format(w.Format), [.. w.Events], Humanize.Iso(w.CreatedAt), w.CreatedBy,
        w.Delivered, w.Retrying, w.Failed, w.LastError, Humanize.Iso(w.LastErrorAt), secret);

    public static Table Table(IEnumerable<Webhook> webhooks)
    {
        var table = Renderer.Table("NAME", "FORMAT", "URL", "EVENTS", "DELIVERED", "RETRYING", "FAILED", "LAST ERROR");
        foreach (var w in webhooks)
        {
            table.AddRow(
                Markup.Escape(w.Name), Format(w.Format), Markup.Escape(w.UrlOrigin), Markup.Escape(w.Events.Count == 0 ? "all" : string.Join(",", w.Events)),
                $"{w.Delivered}", $"{w.Retrying}", $"{w.Failed}", Markup.Escape(w.LastError));
        }

        return table;
    }

    /// <summary>The fleetctl status line for a webhook whose deliveries fail.</summary>
    public static string Problem(WebhookProblem problem) =>
        $"webhook {problem.Name}: {problem.Retrying} retrying, {problem.Failed} given up; last error: {problem.LastError}";
}
