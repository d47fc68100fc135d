namespace Fleet.Integration.Tests.Controller;

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it returns a value, failing with <paramref name="what"/> after the deadline.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> condition, string what, TimeSpan? deadline = null)
        where T : class
    {
        var until = TimeProvider.System.GetUtcNow() + (deadline ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (await condition() is { } value)
            {
                return value;
            }

            Assert.True(TimeProvider.System.GetUtcNow() < until, $"timed out waiting until {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        }
    }
}
