namespace Fleet.Agent.Deploy;

internal enum HealthState
{
    Starting,
    Healthy,
    Unhealthy,
}

/// <summary>
/// Docker's health rules as pure logic: a success makes the container healthy (a running check's only
/// after the start period); failures inside the
/// start period do not count; <see cref="HealthCheckSpec.Retries"/> consecutive counted failures make it unhealthy.
/// </summary>
internal sealed class HealthTracker(HealthCheckSpec spec, DateTimeOffset startedAt)
{
    private int _failures;

    public int CountedFailures => _failures;

    public HealthState Record(bool success, DateTimeOffset at)
    {
        if (success && spec.Kind == HealthCheckKind.Running && at - startedAt < spec.EffectiveStartPeriod)
        {
            // Running is all a running check sees; it counts once it lasted the start period.
            return HealthState.Starting;
        }

        if (success)
        {
            _failures = 0;
            return HealthState.Healthy;
        }

        if (at - startedAt < spec.EffectiveStartPeriod)
        {
            return HealthState.Starting;
        }

        _failures++;
        return _failures >= Math.Max(1, spec.Retries) ? HealthState.Unhealthy : HealthState.Starting;
    }
}
