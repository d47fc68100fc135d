using Fleet.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace Fleet.Controller.Backups;

/// <summary>Reads the backup runs agents reported (table backup_runs).</summary>
internal sealed class BackupRunStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "a.name, r.report::text, r.received_at";

    /// <summary>Runs matching the filters (empty = any), newest first.</summary>
    public Task<List<BackupRun>> ListAsync(string agent, string app, string name, BackupOperation operation, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            $"select {Columns} from backup_runs r join agents a on a.id = r.agent_id " +
            "where ($1 = '' or a.name = $1) and ($2 = '' or r.app = $2) and ($3 = '' or r.name = $3) and ($4 = '' or r.operation = $4) " +
            "order by r.finished_at desc nulls last, r.received_at desc limit $5",
            [agent, app, name, operation == BackupOperation.Unspecified ? "" : operation.ToString(), limit],
            cancellationToken);

    /// <summary>Per agent (not revoked), app, declaration and operation (backup, verify): the latest run, where it failed.</summary>
    public Task<List<BackupRun>> LatestFailedAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"select {Columns} from (select distinct on (agent_id, app, name, operation) * from backup_runs " +
            "where operation in ('Backup', 'Verify') order by agent_id, app, name, operation, finished_at desc nulls last, sequence desc) r " +
            "join agents a on a.id = r.agent_id where not r.succeeded and a.revoked_at is null order by a.name, r.app, r.name",
            [],
            cancellationToken);

    private async Task<List<BackupRun>> QueryAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var runs = new List<BackupRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new BackupRun
            {
                Agent = reader.GetString(0),
                Report = JsonParser.Default.Parse<BackupReport>(reader.GetString(1)),
                ReceivedAt = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(2)),
            });
        }

        return runs;
    }
}
