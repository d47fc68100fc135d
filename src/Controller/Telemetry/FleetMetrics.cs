using System.Diagnostics.Metrics;

namespace Fleet.Controller.Telemetry;

/// <summary>
/// The fleet-wide gauges of the "Fleet.Controller" meter, read from the database through
/// <see cref="FleetReader"/>: every replica reports the same values.
/// </summary>
internal sealed class FleetMetrics
{
    public FleetMetrics(IMeterFactory meterFactory, FleetReader fleet, TimeProvider time)
    {
        var meter = meterFactory.Create(ControllerMetrics.MeterName);
        // "deployments" becomes deployments_total in Prometheus: the name the alert rules and the issue use.
        meter.CreateObservableCounter(
            "deployments",
            () => fleet.Current().Deployments.Select(d => new Measurement<long>(d.Count, new("app", d.App), new("environment", d.Environment), new("status", d.Status))),
            "{deployment}", "Rollouts finished, by app, environment and outcome: succeeded, failed, rolled_back (failed and hosts reverted), aborted");
        meter.CreateObservableGauge(
            "fleet.agents",
            () => fleet.Current().AgentsByState.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("state", s.Key))),
            "{agent}", "Enrolled agents fleet-wide by state: connected, down, pending (never seen), revoked");
        meter.CreateObservableGauge(
            "fleet.agent.heartbeat_lag",
            () =>
            {
                var now = time.GetUtcNow();
                return fleet.Current().Heartbeats.Select(h => new Measurement<double>(Seconds(now - h.LastSeen), new KeyValuePair<string, object?>("agent", h.Agent)));
            },
            "s", "Seconds since each agent's last heartbeat reached the database");
        meter.CreateObservableGauge(
            "fleet.backup.last_success_timestamp",
            () => fleet.Current().Backups.Where(b => b.LastSuccessAt is not null)
                .Select(b => new Measurement<double>(b.LastSuccessAt!.Value.ToUnixTimeMilliseconds() / 1000.0, BackupTags(b))),
            "s", "Unix time at which the newest successful backup of each backup declaration finished");
        meter.CreateObservableGauge(
            "fleet.backup.last_success_size",
            () => fleet.Current().Backups.Where(b => b.LastSuccessAt is not null).Select(b => new Measurement<long>(b.LastSuccessBytes, BackupTags(b))),
            "By", "Size of the newest successful backup of each backup declaration");
        meter.CreateObservableGauge(
            "fleet.backup.last_verify_timestamp",
            () => fleet.Current().Backups.Where(b => b.LastVerifyAt is not null)
                .Select(b => new Measurement<double>(b.LastVerifyAt!.Value.ToUnixTimeMilliseconds() / 1000.0, BackupTags(b))),
            "s", "Unix time at which the newest verify (restore test) of each backup declaration finished");
        meter.CreateObservableGauge(
            "fleet.backup.last_verify_success",
            () => fleet.Current().Backups.Where(b => b.LastVerifyAt is not null).Select(b => new Measurement<int>(b.LastVerifySucceeded ? 1 : 0, BackupTags(b))),
            unit: null, "1 when the newest verify of each backup declaration succeeded, 0 when it failed");
        meter.CreateObservableGauge(
            "fleet.certificate.expiry_timestamp",
            () => fleet.Current().Certificates.Select(c => new Measurement<double>(
                c.NotAfter.ToUnixTimeMilliseconds() / 1000.0, new("agent", c.Agent), new("certificate", c.Certificate))),
            "s", "Unix time at which each certificate on each agent expires");
    }

    private static double Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds);

    private static KeyValuePair<string, object?>[] BackupTags(BackupDeclaration backup) =>
        [new("agent", backup.Agent), new("app", backup.App), new("backup", backup.Backup)];
}
