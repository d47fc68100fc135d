namespace Fleet.Agent.Connection;

/// <summary>
/// Jittered exponential backoff: starts at <paramref name="initial"/>, grows ×1.6 up to the
/// caller's maximum, ±20 % jitter (the gRPC reconnect policy).
/// </summary>
internal sealed class Backoff(TimeSpan initial, Random? random = null)
{
    private readonly TimeSpan _initial = initial;
    private readonly Random _random = random ?? Random.Shared;
    private TimeSpan _next = initial;

    public TimeSpan Next(TimeSpan max)
    {
        var current = _next < max ? _next : max;
        _next = current * 1.6;
        return current * (0.8 + (_random.NextDouble() * 0.4));
    }

    public void Reset() => _next = _initial;
}
