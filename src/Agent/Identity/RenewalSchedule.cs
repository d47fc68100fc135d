namespace Fleet.Agent.Identity;

/// <summary>
/// When to renew a certificate: at a random point between 70 % and 90 % of its lifetime, so a
/// fleet enrolled together does not renew together, and a failed renewal has time to retry.
/// </summary>
internal static class RenewalSchedule
{
    public const double EarliestFraction = 0.7;
    public const double LatestFraction = 0.9;

    public static DateTimeOffset RenewAt(DateTimeOffset notBefore, DateTimeOffset notAfter, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var fraction = EarliestFraction + (random.NextDouble() * (LatestFraction - EarliestFraction));
        return notBefore + ((notAfter - notBefore) * fraction);
    }
}
