using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>Reads rollouts with their targets, or with only how many targets are in each state.</summary>
internal sealed class RolloutStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, release_id, app, environment, sequence, state, strategy, reason, started_at, finished_at";

    public async Task<Rollout?> FindAsync(string rolloutId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, $"select {Columns} from rollouts where id = $1", [rolloutId], cancellationToken);
    }

    /// <summary>
    /// The rollout with its target counts but not its targets: what a submit or approval answers
    /// while the first wave is being sent (reading and sending 10,000 targets would delay both).
    /// </summary>
    public async Task<Rollout?> SummaryAsync(string rolloutId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await ReadAsync(connection, null, $"select {Columns} from rollouts where id = $1", [rolloutId], cancellationToken) is not { } rollout)
        {
            return null;
        }

        await using var counts = new NpgsqlCommand("select state, count(*)::integer from rollout_targets where rollout_id = $1 group by state", connection);
        counts.Parameters.AddWithValue(rolloutId);
        await using var reader = await counts.ExecuteReaderAsync(cancellationToken);
        var byState = new List<TargetStateCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            byState.Add(new TargetStateCount { State = RolloutNames.Target(reader.GetString(0)), Count = reader.GetInt32(1) });
        }

        rollout.TargetCounts.AddRange(byState.OrderBy(c => c.State));
        return rollout;
    }

    public async Task<Rollout?> LatestAsync(string app, string environment, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null,
            $"select {Columns} from rollouts where app = $1 and environment = $2 order by sequence desc, created_at desc limit 1", [app, environment], cancellationToken);
    }

    public static async Task<Rollout?> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        if (await ReadAsync(connection, transaction, sql, parameters, cancellationToken) is not { } rollout)
        {
            return null;
        }

        await using (var targets = new NpgsqlCommand(
            "select agent_name, state, wave, step, detail, log_tail, previous_sequence, updated_at from rollout_targets where rollout_id = $1 order by wave, agent_name",
            connection, transaction))
        {
            targets.Parameters.AddWithValue(rollout.RolloutId);
            await using var reader = await targets.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rollout.Targets.Add(new RolloutTarget
                {
                    AgentName = reader.GetString(0),
                    State = RolloutNames.Target(reader.GetString(1)),
                    Wave = reader.GetInt32(2),
                    Step = reader.GetString(3),
                    Detail = reader.GetString(4),
                    LogTail = reader.GetString(5),
                    PreviousSequence = reader.GetInt64(6),
                    UpdatedAt = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(7)),
                });
            }
        }

        rollout.TargetCounts.AddRange(rollout.Targets.CountBy(t => t.State).OrderBy(c => c.Key).Select(c => new TargetStateCount { State = c.Key, Count = c.Value }));
        return rollout;
    }

    /// <summary>The rollout row that <paramref name="sql"/> selects (<see cref="Columns"/>), without targets.</summary>
    private static async Task<Rollout?> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Rollout
        {
            RolloutId = reader.GetString(0),
            ReleaseId = reader.GetString(1),
            App = reader.GetString(2),
            Environment = reader.GetString(3),
            Sequence = reader.GetInt64(4),
            State = RolloutNames.Rollout(reader.GetString(5)),
            Strategy = reader.GetString(6),
            Reason = reader.GetString(7),
            StartedAt = reader.IsDBNull(8) ? null : Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(8)),
            FinishedAt = reader.IsDBNull(9) ? null : Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(9)),
        };
    }
}
