using Fleet.Contracts.V1;
using Google.Protobuf.WellKnownTypes;
using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>Reads rollouts with their targets, and creates them with their plan.</summary>
internal sealed class RolloutStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, release_id, app, environment, sequence, state, strategy, reason, started_at, finished_at";

    public async Task<Rollout?> FindAsync(string rolloutId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, $"select {Columns} from rollouts where id = $1", [rolloutId], cancellationToken);
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
        Rollout rollout;
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            foreach (var parameter in parameters)
            {
                command.Parameters.AddWithValue(parameter);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            rollout = new Rollout
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

        return rollout;
    }
}
