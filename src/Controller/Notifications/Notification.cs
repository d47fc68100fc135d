namespace Fleet.Controller.Notifications;

/// <summary>One row of the notifications table: an event operators are told about.</summary>
internal sealed record Notification(
    long Id, DateTimeOffset CreatedAt, string Kind, string App, string Environment, string Status, double? DurationSeconds, string Summary, string DetailJson)
{
    /// <summary>Every kind a webhook can subscribe to.</summary>
    public static readonly string[] Kinds =
    [
        "rollout.started", "rollout.succeeded", "rollout.failed", "rollout.rolled_back", "rollout.aborted", "rollout.approval_waiting",
        "agent.down", "backup.failed", "backup.verify_failed", "certificate.expiring", "certificate.renewal_failed",
    ];
}
