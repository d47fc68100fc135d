namespace Fleet.Agent.Acme;

/// <summary>When to renew, and how long to wait after failures. Pure: the clock is passed in.</summary>
internal static class RenewalPolicy
{
    /// <summary>
    /// The moment renewal becomes due: the start of the CA's suggested window (RFC 9773) when it
    /// publishes one, else when a third of the lifetime is left.
    /// </summary>
    public static DateTimeOffset DueAt(DateTimeOffset notBefore, DateTimeOffset notAfter, AcmeRenewalWindow? window) =>
        window?.Start ?? notAfter - ((notAfter - notBefore) / 3);

    public static bool IsDue(DateTimeOffset now, DateTimeOffset notBefore, DateTimeOffset notAfter, AcmeRenewalWindow? window) =>
        now >= DueAt(notBefore, notAfter, window);

    /// <summary>
    /// Wait after the n-th consecutive failure: first, 2×first, 4×first … up to max; never shorter
    /// than the server's Retry-After.
    /// </summary>
    public static TimeSpan Backoff(int failures, TimeSpan first, TimeSpan max, TimeSpan? retryAfter = null)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var wait = TimeSpan.FromTicks((long)Math.Min(first.Ticks * Math.Pow(2, exponent), max.Ticks));
        return retryAfter is { } serverWait && serverWait > wait ? serverWait : wait;
    }
}
