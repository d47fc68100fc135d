namespace Fleet.Agent.Identity;

/// <summary>
/// When to renew a certificate: at a random point between 70 % and 90 % of its lifetime, so a
/// fleet enrolled together does not renew together, and a failed renewal has time to retry.
/// </summary>
internal static class RenewalSchedule
{
    public const double EarliestFraction = 0.7;
    public const double LatestFraction = 0.9;

    /// <remarks>
    /// The lifetime starts at NotBefore or when the certificate was obtained, whichever is later:
    /// a controller back-dates NotBefore for clock skew, which would otherwise put the renewal
    /// of a short-lived certificate in the past.
    /// </remarks>
    public static DateTimeOffset RenewAt(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset obtainedAt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var start = obtainedAt > notBefore && obtainedAt < notAfter ? obtainedAt : notBefore;
        var fraction = EarliestFraction + (random.NextDouble() * (LatestFraction - EarliestFraction));
        return start + ((notAfter - start) * fraction);
    }
}
