using Fleet.Controller.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fleet.Controller.Telemetry;

/// <summary>
/// Reads the fleet-wide state behind the gauges from the database, at most once per
/// <see cref="MaxAge"/>: one scrape asks for each gauge in turn, and several Prometheus servers
/// may scrape. Every replica reports the same fleet-wide values (aggregate them with max, not sum).
/// </summary>
internal sealed partial class FleetReader(
    NpgsqlDataSource dataSource, IOptions<ControllerOptions> options, TimeProvider time, ILogger<FleetReader> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    public static readonly string[] Outcomes = ["succeeded", "failed", "rolled_back", "aborted"];

    private readonly Lock _lock = new();
    private FleetReading _latest = FleetReading.Empty;

    /// <summary>
    /// The latest reading, read again when older than <see cref="MaxAge"/>. Synchronous because
    /// OpenTelemetry calls observable instruments synchronously; a failed read keeps the previous one.
    /// </summary>
    public FleetReading Current()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now - _latest.ReadAt < MaxAge)
            {
                return _latest;
            }

            try
            {
                _latest = Read(now);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                Log.ReadFailed(logger, ex);
            }

            return _latest;
        }
    }

    private FleetReading Read(DateTimeOffset now)
    {
        using var connection = dataSource.OpenConnection();
        using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(DeploymentsSql) { Parameters = { new() { Value = Outcomes } } },
                new NpgsqlBatchCommand(AgentsSql) { Parameters = { new() { Value = now - options.Value.DownAfter } } },
                new NpgsqlBatchCommand("select name, last_seen from agents where revoked_at is null and last_seen is not null"),
                new NpgsqlBatchCommand(BackupsSql),
                new NpgsqlBatchCommand(
                    "select a.name, c.name, c.not_after from agent_certificates c join agents a on a.id = c.agent_id " +
                    "where a.revoked_at is null and c.not_after is not null"),
            },
        };
        using var reader = batch.ExecuteReader();
        var deployments = new List<DeploymentCount>();
        while (reader.Read())
        {
            deployments.Add(new DeploymentCount(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        reader.NextResult();
        reader.Read();
        var agents = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["connected"] = reader.GetInt64(0), ["down"] = reader.GetInt64(1), ["pending"] = reader.GetInt64(2), ["revoked"] = reader.GetInt64(3),
        };
        reader.NextResult();
        var heartbeats = new List<AgentHeartbeat>();
        while (reader.Read())
        {
            heartbeats.Add(new AgentHeartbeat(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        reader.NextResult();
        var backups = ReadBackups(reader);
        reader.NextResult();
        var certificates = new List<CertificateExpiry>();
        while (reader.Read())
        {
            certificates.Add(new CertificateExpiry(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return new FleetReading(now, deployments, agents, heartbeats, backups, certificates);
    }

    private static List<BackupDeclaration> ReadBackups(NpgsqlDataReader reader)
    {
        var backups = new List<BackupDeclaration>();
        while (reader.Read())
        {
            backups.Add(new BackupDeclaration(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? 0 : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), !reader.IsDBNull(6) && reader.GetBoolean(6)));
        }

        return backups;
    }

    private static partial class Log
    {
        [LoggerMessage(3500, LogLevel.Warning, "Reading the fleet's state for the metrics failed; the previous reading stays")]
        public static partial void ReadFailed(ILogger logger, Exception exception);
    }
}
