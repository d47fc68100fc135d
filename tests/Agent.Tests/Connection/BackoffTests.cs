using Fleet.Agent.Connection;

namespace Fleet.Agent.Tests.Connection;

public sealed class BackoffTests
{
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    [Fact]
    public void Next_FirstAttempt_IsInitialWithin20Percent()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var wait = new Backoff(TimeSpan.FromSeconds(1), new Random(seed)).Next(Max);

            Assert.InRange(wait, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        }
    }

    [Fact]
    public void Next_RepeatedFailures_GrowsBy1Point6UpToMaxWithJitter()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), new Random(7));
        var expected = 1.0;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var wait = backoff.Next(Max);

            Assert.InRange(wait.TotalSeconds, expected * 0.8 - 1e-9, expected * 1.2 + 1e-9);
            expected = Math.Min(expected * 1.6, Max.TotalSeconds);
        }

        Assert.Equal(Max.TotalSeconds, expected);
    }

    [Fact]
    public void Next_AtMax_NeverExceedsMaxPlus20Percent()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), new Random(3));
        for (var attempt = 0; attempt < 100; attempt++)
        {
            Assert.InRange(backoff.Next(Max), TimeSpan.Zero, Max * 1.2);
        }
    }

    [Fact]
    public void Reset_AfterGrowth_StartsAgainAtInitial()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), new Random(1));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            backoff.Next(Max);
        }

        backoff.Reset();

        Assert.InRange(backoff.Next(Max), TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
    }
}
