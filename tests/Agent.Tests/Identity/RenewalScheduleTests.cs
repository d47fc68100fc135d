using Fleet.Agent.Identity;

namespace Fleet.Agent.Tests.Identity;

public sealed class RenewalScheduleTests
{
    private static readonly DateTimeOffset NotBefore = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = NotBefore.AddHours(24);

    [Fact]
    public void RenewAt_ManySeeds_AlwaysBetween70And90PercentOfLifetime()
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var at = RenewalSchedule.RenewAt(NotBefore, NotAfter, NotBefore, new Random(seed));

            Assert.InRange(at, NotBefore.AddHours(24 * 0.7), NotBefore.AddHours(24 * 0.9));
        }
    }

    [Fact]
    public void RenewAt_NotBeforeBackDated_CountsTheLifetimeFromWhenItWasObtained()
    {
        var obtained = NotBefore.AddMinutes(5);
        var notAfter = obtained.AddSeconds(20);

        for (var seed = 0; seed < 100; seed++)
        {
            var at = RenewalSchedule.RenewAt(NotBefore, notAfter, obtained, new Random(seed));

            Assert.InRange(at, obtained.AddSeconds(14), obtained.AddSeconds(18));
        }
    }

    [Fact]
    public void RenewAt_ObtainedAfterExpiry_FallsBackToNotBefore()
    {
        var at = RenewalSchedule.RenewAt(NotBefore, NotAfter, NotAfter.AddHours(1), new Random(1));

        Assert.InRange(at, NotBefore.AddHours(24 * 0.7), NotBefore.AddHours(24 * 0.9));
    }

    [Fact]
    public void RenewAt_ManySeeds_IsSpreadAcrossTheWindow()
    {
        var times = Enumerable.Range(0, 500).Select(seed => RenewalSchedule.RenewAt(NotBefore, NotAfter, NotBefore, new Random(seed))).ToList();

        Assert.True(times.Min() < NotBefore.AddHours(24 * 0.72));
        Assert.True(times.Max() > NotBefore.AddHours(24 * 0.88));
    }
}
