namespace Fleet.Controller.Webhooks;

/// <summary>When a failed delivery is tried again: 5 s doubling to at most an hour, ±20 % jitter; after <see cref="MaxAttempts"/> it is given up.</summary>
internal static class WebhookBackoff
{
    public const int MaxAttempts = 10;

    private static readonly TimeSpan First = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Max = TimeSpan.FromHours(1);

    /// <summary>The wait after attempt number <paramref name="attempts"/> (1 = the first) failed.</summary>
    public static TimeSpan After(int attempts, double jitter)
    {
        var wait = First * Math.Pow(2, Math.Min(attempts - 1, 20));
        return (wait < Max ? wait : Max) * (0.8 + (jitter * 0.4));
    }
}
