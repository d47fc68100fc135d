namespace Fleet.Controller.Webhooks;

/// <summary>One webhook as stored; <see cref="Secret"/> signs json bodies and never leaves the controller after it was added.</summary>
internal sealed record WebhookRow(string Name, Uri Url, string Format, string Secret, IReadOnlyList<string> Events)
{
    /// <summary>Scheme, host and port: what may be shown and logged (the path of a Slack URL is its secret).</summary>
    public string Origin => Url.GetLeftPart(UriPartial.Authority);
}
