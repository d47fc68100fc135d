using Fleet.Contracts.V1;
using Fleet.Controller.Audit;
using Fleet.Core.Transport;
using Npgsql;

namespace Fleet.Controller.Operators;

/// <summary>A token just created; <see cref="Token"/> is shown once and never stored.</summary>
internal sealed record CreatedToken(string Id, string Token, DateTimeOffset? ExpiresAt);

internal sealed class TokenStore(NpgsqlDataSource dataSource, AuditLog audit, TimeProvider time)
{
    public static readonly TimeSpan DefaultJoinLifetime = TimeSpan.FromHours(1);

    private const string Columns = "id, secret_hash, role, description, created_at, expires_at, max_uses, uses";

    /// <exception cref="ArgumentException">Bad request values; the message is for the operator.</exception>
    public async Task<CreatedToken> CreateAsync(TokenRole role, TimeSpan? lifetime, string description, int? maxUses, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CreateAsync(connection, role, lifetime, description, maxUses, cancellationToken);
    }

    public async Task<CreatedToken> CreateAsync(NpgsqlConnection connection, TokenRole role, TimeSpan? lifetime, string description, int? maxUses, CancellationToken cancellationToken)
    {
        var roleName = TokenRoles.ToName(role);
        var isJoin = role == TokenRole.AgentJoin;
        if (!isJoin && maxUses is not null)
        {
            throw new ArgumentException("a use limit applies only to agent-join tokens");
        }

        if (lifetime is { } l && l <= TimeSpan.Zero)
        {
            throw new ArgumentException("a token lifetime must be positive");
        }

        if (maxUses is < 1)
        {
            throw new ArgumentException("a join token must allow at least one use");
        }

        var (id, secret, token) = ApiToken.Create(isJoin ? ApiToken.JoinKind : ApiToken.ApiKind);
        var now = time.GetUtcNow();
        var expires = lifetime is { } ttl ? now + ttl : isJoin ? now + DefaultJoinLifetime : (DateTimeOffset?)null;
        await using var command = new NpgsqlCommand(
            $"insert into tokens ({Columns}) values ($1, $2, $3, $4, $5, $6, $7, 0)", connection);
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(ApiToken.Hash(secret));
        command.Parameters.AddWithValue(roleName);
        command.Parameters.AddWithValue(description);
        command.Parameters.AddWithValue(now);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.TimestampTz, (object?)expires ?? DBNull.Value);
        command.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Integer, (object?)(isJoin ? maxUses ?? 1 : null) ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new CreatedToken(id, token, expires);
    }

    public async Task<StoredToken?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, null, id, forUpdate: false, cancellationToken);
    }

    /// <summary>Reads a token; with <paramref name="forUpdate"/> the row stays locked until the transaction ends.</summary>
    public static async Task<StoredToken?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"select {Columns}, revoked_at from tokens where id = $1{(forUpdate ? " for update" : "")}", connection, transaction);
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Every token, newest first.</summary>
    public async Task<List<StoredToken>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select {Columns}, revoked_at from tokens order by created_at desc, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<StoredToken>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(Read(reader));
        }

        return tokens;
    }

    /// <summary>Marks a token revoked (audited); null when there is no such token, unchanged when it already was.</summary>
    public async Task<StoredToken?> RevokeAsync(string id, string revokedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand("update tokens set revoked_at = $2 where id = $1 and revoked_at is null", connection, transaction))
        {
            update.Parameters.AddWithValue(id);
            update.Parameters.AddWithValue(time.GetUtcNow());
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                await audit.AppendAsync(connection, transaction, "token.revoke", revokedBy, $"token {id}", "", cancellationToken);
            }
        }

        var token = await FindAsync(connection, transaction, id, forUpdate: false, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return token;
    }

    private static StoredToken Read(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetFieldValue<byte[]>(1), TokenRoles.FromName(reader.GetString(2)), reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        reader.IsDBNull(6) ? null : reader.GetInt32(6),
        reader.GetInt32(7),
        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8));

    public static async Task CountUseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("update tokens set uses = uses + 1 where id = $1", connection, transaction);
        command.Parameters.AddWithValue(id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
