using Fleet.Integration.Tests.Infrastructure;

namespace Fleet.Integration.Tests.Controller;

/// <summary>
/// Issue 19: the rows agents' reports leave in the real database (a failed verify, a failed
/// renewal, a certificate close to expiry, an agent gone silent) become one notification each,
/// dispatched by the controller, and show in its Prometheus endpoint.
/// </summary>
[Collection(MetricsAloneGroup.Name)]
public sealed class NotificationsTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AgentReports_FailedVerifyRenewalExpiryAndSilence_OneDispatchedNotificationEachAndGauges()
    {
        var metricsPort = LoopbackPort.Free();
        await using var controller = await ControllerHarness.StartAsync("--metrics-listen", $"127.0.0.1:{metricsPort}");
        var agent = await controller.EnrollAsync("db-1");
        var id = agent.Id.ToString();
        await controller.Database.ScalarAsync(
            $$"""
            update agents set last_seen = now() - interval '1 hour' where id = '{{id}}';
            insert into backup_runs (agent_id, sequence, received_at, operation, trigger, app, name, succeeded, backup_id, error, started_at, finished_at, size_bytes, sha256, release_sequence, report)
            values ('{{id}}', 1, now(), 'Backup', 'Schedule', 'shop', 'db', true, 'b1', '', now() - interval '2 minutes', now() - interval '1 minute', 4096, 'abc', 0, '{}'),
                   ('{{id}}', 2, now(), 'Verify', 'Schedule', 'shop', 'db', false, 'b1', 'pg_restore exited with 1', now(), now(), 0, '', 0, '{}');
            insert into agent_certificates (agent_id, name, report, not_after, last_renewal_succeeded, reported_at)
            values ('{{id}}', 'shop', '{}', now() + interval '3 days', false, now());
            update agent_certificates set last_renewal_succeeded = false, reported_at = now() where agent_id = '{{id}}';
            """);

        await Eventually.UntilAsync(
            async () => (long)(await controller.Database.ScalarAsync("select count(*) from notifications where dispatched_at is not null"))! >= 4,
            TimeSpan.FromSeconds(30), "four dispatched notifications");
        var kinds = (string)(await controller.Database.ScalarAsync("select string_agg(kind, ',' order by kind) from notifications"))!;
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), Cancellation);

        // One each: the second report of the same failed renewal adds nothing.
        Assert.Equal("agent.down,backup.verify_failed,certificate.expiring,certificate.renewal_failed", kinds);
        Assert.Contains("verify of shop/db on db-1 failed: pg_restore exited with 1",
            (string)(await controller.Database.ScalarAsync("select summary from notifications where kind = 'backup.verify_failed'"))!, StringComparison.Ordinal);
        Assert.Equal(1, Sample(metrics, "fleet_agents", "state=\"down\""));
        Assert.Equal(0, Sample(metrics, "fleet_backup_last_verify_success", "agent=\"db-1\"", "app=\"shop\"", "backup=\"db\""));
        Assert.Equal(4096, Sample(metrics, "fleet_backup_last_success_size_bytes", "agent=\"db-1\"", "app=\"shop\"", "backup=\"db\""));
        var finished = DateTimeOffset.FromUnixTimeSeconds((long)Sample(metrics, "fleet_backup_last_success_timestamp_seconds", "agent=\"db-1\""));
        Assert.InRange(DateTimeOffset.UtcNow - finished, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));
        var expires = DateTimeOffset.FromUnixTimeSeconds((long)Sample(metrics, "fleet_certificate_expiry_timestamp_seconds", "agent=\"db-1\"", "certificate=\"shop\""));
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(2.9), TimeSpan.FromDays(3));
        Assert.InRange(Sample(metrics, "fleet_agent_heartbeat_lag_seconds", "agent=\"db-1\""), 3500, 4000);
    }

    // The value of the one sample of METRIC whose labels include every one of LABELS (Prometheus text format).
    private static double Sample(string metrics, string metric, params string[] labels)
    {
        var line = Assert.Single(metrics.Split('\n'), l => l.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(label => l.Contains(label, StringComparison.Ordinal)));
        // "name{labels} value" or "name{labels} value timestamp".
        return double.Parse(line[(line.LastIndexOf('}') + 2)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
