using System.Net.Sockets;

namespace Fleet.Agent.Deploy;

/// <summary>One probe's answer. <see cref="Fatal"/> ends the wait at once (e.g. the container exited).</summary>
internal sealed record ProbeResult(bool Healthy, string Detail, bool Fatal = false)
{
    public static ProbeResult Pass(string detail) => new(true, detail);

    public static ProbeResult Fail(string detail) => new(false, detail);
}

/// <summary>Runs a probe every interval, each bounded by the timeout, until the tracker says healthy or unhealthy.</summary>
internal sealed class HealthProbe(TimeProvider time)
{
    public async Task<ProbeResult> WaitHealthyAsync(
        HealthCheckSpec spec, Func<CancellationToken, Task<ProbeResult>> probe, CancellationToken cancellationToken)
    {
        var tracker = new HealthTracker(spec, time.GetUtcNow());
        while (true)
        {
            var result = await ProbeOnceAsync(spec.EffectiveTimeout, probe, cancellationToken);
            if (result.Fatal)
            {
                return result;
            }

            switch (tracker.Record(result.Healthy, time.GetUtcNow()))
            {
                case HealthState.Healthy:
                    return result;
                case HealthState.Unhealthy:
                    return result with { Detail = $"unhealthy after {tracker.CountedFailures} failed checks: {result.Detail}" };
            }

            await Task.Delay(spec.EffectiveInterval, time, cancellationToken);
        }
    }

    public async Task<ProbeResult> ProbeOnceAsync(
        TimeSpan timeout, Func<CancellationToken, Task<ProbeResult>> probe, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await probe(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail($"check timed out after {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or IOException)
        {
            return ProbeResult.Fail(ex.Message);
        }
    }
}
