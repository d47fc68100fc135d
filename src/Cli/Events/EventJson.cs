namespace Fleet.Cli.Events;

/// <summary>
/// One audit event in <c>fleetctl events --output json</c>: at is ISO-8601 UTC; tokenDescription is
/// what the token was created for; app and environment are empty when the action is not about one;
/// signers names the operator keys on the release (release actions only).
/// </summary>
internal sealed record EventJson(
    long Id, string? At, string Action, string TokenId, string TokenDescription, string Subject, string App, string Environment, string Detail,
    IReadOnlyList<string> Signers);

internal sealed record EventListJson(IReadOnlyList<EventJson> Events);
