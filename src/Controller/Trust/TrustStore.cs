using Fleet.Controller.Audit;
using Fleet.Core.Trust;
using Npgsql;

namespace Fleet.Controller.Trust;

/// <summary>
/// The controller's trust policy in PostgreSQL. A new one is accepted through
/// <see cref="TrustPolicyRotation"/> only: the first is trusted on first use (an admin installs
/// it), every later one needs a threshold of the current root keys and a higher version.
/// </summary>
internal sealed class TrustStore(NpgsqlDataSource dataSource, AuditLog audit, TimeProvider time)
{
    // Serialises installs across controller replicas; "trust" in ASCII.
    private const long InstallLock = 0x7472757374;

    public async Task<SignedTrustPolicy?> CurrentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CurrentAsync(connection, null, cancellationToken);
    }

    public async Task<TrustPolicyDecision> InstallAsync(byte[] envelopeJson, string tokenId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock($1)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue(InstallLock);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        var current = await CurrentAsync(connection, transaction, cancellationToken);
        var decision = TrustPolicyRotation.Evaluate(current, envelopeJson, allowFirstInstall: true, time.GetUtcNow());
        if (decision.Accepted is not { } accepted)
        {
            return decision;
        }

        await using (var insert = new NpgsqlCommand(
            "insert into trust_policies (version, envelope, installed_at, installed_by) values ($1, $2, $3, $4)", connection, transaction))
        {
            insert.Parameters.AddWithValue(accepted.Policy.Version);
            insert.Parameters.AddWithValue(accepted.Envelope.ToJson());
            insert.Parameters.AddWithValue(time.GetUtcNow());
            insert.Parameters.AddWithValue(tokenId);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await audit.AppendAsync(connection, transaction, "trust.set", tokenId, $"trust-policy v{accepted.Policy.Version}", decision.Message, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return decision;
    }

    private static async Task<SignedTrustPolicy?> CurrentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("select envelope from trust_policies order by version desc limit 1", connection, transaction);
        var envelope = await command.ExecuteScalarAsync(cancellationToken) as byte[];
        return envelope is null ? null : SignedTrustPolicy.Open(envelope);
    }
}
