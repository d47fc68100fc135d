using Npgsql;

namespace Fleet.Controller.Audit;

/// <summary>The append-only audit log (a trigger refuses updates and deletes): who did what, by API token id.</summary>
internal sealed class AuditLog(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task AppendAsync(string action, string tokenId, string subject, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await AppendAsync(connection, null, action, tokenId, subject, detail, cancellationToken);
    }

    public async Task AppendAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string action, string tokenId, string subject, string detail, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "insert into audit_log (at, action, token_id, subject, detail) values ($1, $2, $3, $4, $5)", connection, transaction);
        command.Parameters.AddWithValue(time.GetUtcNow());
        command.Parameters.AddWithValue(action);
        command.Parameters.AddWithValue(tokenId);
        command.Parameters.AddWithValue(subject);
        command.Parameters.AddWithValue(detail);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
