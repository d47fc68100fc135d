using Fleet.Agent.Backups;

namespace Fleet.Agent.Tests.Backups;

public sealed class BackupOverdueWatchTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 0 3 * * ?", 0, 48 * 60)]
    [InlineData("0 0 3 * * ?", 15, (48 * 60) + 15)]
    [InlineData("0 0 * * * ?", 0, 120)]
    [InlineData("0 0 3 ? * MON-FRI", 0, 6 * 24 * 60)]
    public void AllowedAge_Schedule_TwiceItsLongestGapPlusJitter(string schedule, int jitterMinutes, int expectedMinutes)
    {
        var allowed = BackupOverdueWatch.AllowedAge(schedule, TimeSpan.FromMinutes(jitterMinutes), Now);

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), allowed);
    }

    [Fact]
    public void AllowedAge_ScheduleThatDoesNotRepeat_NeverOverdue()
    {
        Assert.Equal(TimeSpan.MaxValue, BackupOverdueWatch.AllowedAge("0 0 3 1 1 ? 2099", TimeSpan.Zero, Now));
    }
}
