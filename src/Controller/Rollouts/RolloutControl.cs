using Fleet.Contracts.V1;
using Fleet.Controller.Audit;
using Grpc.Core;
using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>Operator commands on a rollout: pause, resume, abort (reverting updated hosts), promote. Each is audited.</summary>
internal sealed class RolloutControl(NpgsqlDataSource dataSource, RolloutChanges changes, AuditLog audit, TimeProvider time)
{
    public Task PauseAsync(string rolloutId, string tokenId, CancellationToken cancellationToken) =>
        ChangeAsync(rolloutId, tokenId, "rollout.pause", [RolloutState.Running], async (connection, transaction, _) =>
            await SetStateAsync(connection, transaction, rolloutId, "paused", "paused by an operator", cancellationToken), cancellationToken);

    public Task ResumeAsync(string rolloutId, string tokenId, CancellationToken cancellationToken) =>
        ChangeAsync(rolloutId, tokenId, "rollout.resume", [RolloutState.Paused], async (connection, transaction, _) =>
            await SetStateAsync(connection, transaction, rolloutId, "running", "", cancellationToken), cancellationToken);

    public Task PromoteAsync(string rolloutId, string tokenId, CancellationToken cancellationToken) =>
        ChangeAsync(rolloutId, tokenId, "rollout.promote", [RolloutState.AwaitingPromotion, RolloutState.Running], async (connection, transaction, _) =>
        {
            await using var promote = new NpgsqlCommand("update rollouts set promoted = true where id = $1", connection, transaction);
            promote.Parameters.AddWithValue(rolloutId);
            await promote.ExecuteNonQueryAsync(cancellationToken);
            await SetStateAsync(connection, transaction, rolloutId, "running", "", cancellationToken);
        }, cancellationToken);

    public Task AbortAsync(string rolloutId, string tokenId, CancellationToken cancellationToken) =>
        ChangeAsync(rolloutId, tokenId, "rollout.abort",
            [RolloutState.AwaitingApproval, RolloutState.Running, RolloutState.Paused, RolloutState.AwaitingPromotion],
            async (connection, transaction, now) =>
            {
                await using (var revert = new NpgsqlCommand(
                    "update rollout_targets set state = 'reverting', state_since = $2, updated_at = $2 where rollout_id = $1 and state in ('applying', 'verifying', 'done')",
                    connection, transaction))
                {
                    revert.Parameters.AddWithValue(rolloutId);
                    revert.Parameters.AddWithValue(now);
                    await revert.ExecuteNonQueryAsync(cancellationToken);
                }

                await RolloutTargets.EndAsync(connection, transaction, rolloutId, RolloutState.Aborted, "aborted by an operator", now, cancellationToken);
            }, cancellationToken);

    private async Task ChangeAsync(
        string rolloutId, string tokenId, string action, RolloutState[] allowed,
        Func<NpgsqlConnection, NpgsqlTransaction, DateTimeOffset, Task> change, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string subject;
        RolloutState state;
        await using (var find = new NpgsqlCommand("select state, app || '/' || environment || '#' || sequence from rollouts where id = $1 for update", connection, transaction))
        {
            find.Parameters.AddWithValue(rolloutId);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new RpcException(new Status(StatusCode.NotFound, $"no rollout '{rolloutId}'"));
            }

            state = RolloutNames.Rollout(reader.GetString(0));
            subject = reader.GetString(1);
        }

        if (!allowed.Contains(state))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"rollout {rolloutId} is {RolloutNames.Name(state).Replace('_', ' ')}; {action[8..]} applies only to a rollout that is {string.Join(" or ", allowed.Select(s => RolloutNames.Name(s).Replace('_', ' ')))}"));
        }

        await change(connection, transaction, time.GetUtcNow());
        await audit.AppendAsync(connection, transaction, action, tokenId, subject, $"rollout {rolloutId}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        changes.Notify();
    }

    private static async Task SetStateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string rolloutId, string state, string reason, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand("update rollouts set state = $2, reason = $3 where id = $1", connection, transaction);
        update.Parameters.AddWithValue(rolloutId);
        update.Parameters.AddWithValue(state);
        update.Parameters.AddWithValue(reason);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
