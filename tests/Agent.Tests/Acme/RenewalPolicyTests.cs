using Fleet.Agent.Acme;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Agent.Tests.Acme;

public sealed class RenewalPolicyTests
{
    private static readonly DateTimeOffset NotBefore = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = NotBefore.AddDays(90);
    private static readonly DateTimeOffset ThirdLeft = NotBefore.AddDays(60);

    [Fact]
    public void IsDue_JustBeforeAThirdOfLifetimeLeft_IsFalse()
    {
        var time = new FakeTimeProvider(ThirdLeft.AddTicks(-1));

        Assert.False(RenewalPolicy.IsDue(time.GetUtcNow(), NotBefore, NotAfter, window: null));
    }

    [Fact]
    public void IsDue_ExactlyAThirdOfLifetimeLeft_IsTrue()
    {
        var time = new FakeTimeProvider(ThirdLeft);

        Assert.True(RenewalPolicy.IsDue(time.GetUtcNow(), NotBefore, NotAfter, window: null));
    }

    [Fact]
    public void IsDue_AfterExpiry_IsTrue()
    {
        Assert.True(RenewalPolicy.IsDue(NotAfter.AddDays(1), NotBefore, NotAfter, window: null));
    }

    [Fact]
    public void IsDue_ShortLivedCertificate_UsesItsOwnLifetime()
    {
        var notAfter = NotBefore.AddDays(6);

        Assert.False(RenewalPolicy.IsDue(NotBefore.AddDays(4).AddTicks(-1), NotBefore, notAfter, null));
        Assert.True(RenewalPolicy.IsDue(NotBefore.AddDays(4), NotBefore, notAfter, null));
    }

    [Fact]
    public void IsDue_RenewalWindowEarlierThanOneThird_FollowsTheWindow()
    {
        var window = new AcmeRenewalWindow(NotBefore.AddDays(10), NotBefore.AddDays(11));

        Assert.False(RenewalPolicy.IsDue(window.Start.AddTicks(-1), NotBefore, NotAfter, window));
        Assert.True(RenewalPolicy.IsDue(window.Start, NotBefore, NotAfter, window));
    }

    [Fact]
    public void IsDue_RenewalWindowLaterThanOneThird_IsNotDueAtOneThird()
    {
        var window = new AcmeRenewalWindow(NotBefore.AddDays(70), NotBefore.AddDays(72));

        Assert.False(RenewalPolicy.IsDue(ThirdLeft, NotBefore, NotAfter, window));
    }

    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    [InlineData(3, 240)]
    [InlineData(6, 1440)]
    [InlineData(40, 1440)]
    public void Backoff_ConsecutiveFailures_DoublesUpToTheMaximum(int failures, int expectedMinutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), RenewalPolicy.Backoff(failures, TimeSpan.FromHours(1), TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Backoff_RetryAfterLongerThanBackoff_WaitsForTheServer()
    {
        Assert.Equal(TimeSpan.FromHours(3), RenewalPolicy.Backoff(1, TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromHours(3)));
    }

    [Fact]
    public void Backoff_RetryAfterShorterThanBackoff_KeepsTheBackoff()
    {
        Assert.Equal(TimeSpan.FromHours(2), RenewalPolicy.Backoff(2, TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData(0.0, 11.5)]
    [InlineData(0.5, 12.0)]
    [InlineData(1.0, 12.5)]
    public void NextDelay_Jitter_StaysWithinIntervalPlusMinusJitter(double uniform, double expectedHours)
    {
        Assert.Equal(TimeSpan.FromHours(expectedHours), CertificateRenewalJob.NextDelay(TimeSpan.FromHours(12), TimeSpan.FromMinutes(30), uniform));
    }
}
