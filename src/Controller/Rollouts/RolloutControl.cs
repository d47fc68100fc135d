using Fleet.Contracts.V1;
using Fleet.Controller.Audit;
using Grpc.Core;
using Npgsql;

namespace Fleet.Controller.Rollouts;

/// <summary>Operator commands on a rollout: pause, resume, abort (reverting updated hosts), promote. Each is audited.</summary>
internal sealed class RolloutControl(NpgsqlDataSource dataSource, RolloutChanges changes, AuditLog audit, TimeProvider time)
{
    public Task PauseAsync(string rolloutId, string tokenId, CancellationToken cancellationToken) =>
        ChangeAsync(rolloutId, tokenId, "rollout.pause", async (connection, transaction, _) =>
            await SetStateAsync(connection, transaction, rolloutId, RolloutState.Paused, "paused by an operator", cancellationToken), cancellationToken);

    public Task ResumeAsync(string rolloutId, string tokenId, CancellationToken cancellationToken) =>
        ChangeAsync(rolloutId, tokenId, "rollout.resume", async (connection, transaction, _) =>
            await SetStateAsync(connection, transaction, rolloutId, RolloutState.Running, "", cancellationToken), cancellationToken);

    public Task PromoteAsync(string rolloutId, string tokenId, CancellationToken cancellationToken) =>
        ChangeAsync(rolloutId, tokenId, "rollout.promote", async (connection, transaction, _) =>
        {
            await using var promote = new NpgsqlCommand("update rollouts set promoted = true where id = $1", connection, transaction);
            promote.Parameters.AddWithValue(rolloutId);
            await promote.ExecuteNonQueryAsync(cancellationToken);
            await SetStateAsync(connection, transaction, rolloutId, RolloutState.Running, "", cancellationToken);
        }, cancellationToken);

    public Task AbortAsync(string rolloutId, string tokenId, CancellationToken cancellationToken) =>
        ChangeAsync(rolloutId, tokenId, "rollout.abort", async (connection, transaction, now) =>
        {
            await RolloutTargets.MoveAsync(connection, transaction, rolloutId, RolloutMachine.RevertMoves, now, cancellationToken);
            await RolloutTargets.EndAsync(connection, transaction, rolloutId, RolloutState.Aborted, "aborted by an operator", now, cancellationToken);
        }, cancellationToken);

    private async Task ChangeAsync(
        string rolloutId, string tokenId, string action,
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

        var allowed = RolloutMachine.CommandFrom(action["rollout.".Length..]);
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

    private static async Task SetStateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string rolloutId, RolloutState state, string reason, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand("update rollouts set state = $2, reason = $3 where id = $1", connection, transaction);
        update.Parameters.AddWithValue(rolloutId);
        update.Parameters.AddWithValue(RolloutNames.Name(state));
        update.Parameters.AddWithValue(reason);
        await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
