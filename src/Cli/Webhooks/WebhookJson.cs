namespace Fleet.Cli.Webhooks;

/// <summary>
/// One webhook in <c>fleetctl webhooks list|add --output json</c>: urlOrigin is scheme://host:port
/// only; events empty means all; secret is set only by add, for the json format, shown this once.
/// </summary>
internal sealed record WebhookJson(
    string Name, string UrlOrigin, string Format, IReadOnlyList<string> Events, string? CreatedAt, string CreatedBy,
    long Delivered, long Retrying, long Failed, string LastError, string? LastErrorAt, string? Secret);

internal sealed record WebhookListJson(IReadOnlyList<WebhookJson> Webhooks);

/// <summary>A webhook whose deliveries fail, in <c>fleetctl status --output json</c>.</summary>
internal sealed record WebhookProblemJson(string Name, long Retrying, long Failed, string LastError, string? LastErrorAt);
