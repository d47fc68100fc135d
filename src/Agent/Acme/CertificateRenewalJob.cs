using Microsoft.Extensions.Options;
using Quartz;

namespace Fleet.Agent.Acme;

/// <summary>
/// The scheduled renewal pass (twice a day by default). Each run schedules the next one at the
/// interval ± jitter, so a fleet's agents drift apart instead of hitting the CA together.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class CertificateRenewalJob(CertificateRenewal renewal, IOptionsMonitor<CertificatesOptions> options, TimeProvider time) : IJob
{
    public static readonly JobKey Key = new("certificate-renewal", "acme");
    public static readonly TriggerKey TriggerKey = new("certificate-renewal", "acme");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await renewal.RenewDueAsync(cancellationToken);
        }
        finally
        {
            var next = time.GetUtcNow() + NextDelay(options.CurrentValue.CheckInterval, options.CurrentValue.CheckJitter, Random.Shared.NextDouble());
            // Always the schedule's own trigger: a pass triggered at once (a new release) moves the
            // next scheduled pass instead of starting a second cycle.
            await context.Scheduler.RescheduleJob(TriggerKey,
                TriggerBuilder.Create().WithIdentity(TriggerKey).ForJob(Key).StartAt(next).Build(), cancellationToken);
        }
    }

    /// <summary>interval + jitter × (2u − 1): uniformly within interval ± jitter, never below a minute.</summary>
    internal static TimeSpan NextDelay(TimeSpan interval, TimeSpan jitter, double uniform) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, interval.Ticks + (long)(jitter.Ticks * ((2 * uniform) - 1))));
}
