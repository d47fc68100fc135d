using Fleet.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using NpgsqlTypes;

namespace Fleet.Controller.Secrets;

/// <summary>secret_versions and sealed_secrets: ciphertexts and who they are sealed for, never a value.</summary>
internal sealed class SecretStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string CopyColumns = "app, environment, name, version, key_fingerprint, agent_id, ciphertext";

    /// <summary>Stores a new version with its copies; false when that version exists already.</summary>
    public async Task<bool> PutAsync(string app, string environment, string name, string version, IReadOnlyList<SealedCopy> copies, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            "insert into secret_versions (app, environment, name, version, created_at) values ($1, $2, $3, $4, $5) on conflict do nothing", connection, transaction))
        {
            insert.Parameters.AddWithValue(app);
            insert.Parameters.AddWithValue(environment);
            insert.Parameters.AddWithValue(name);
            insert.Parameters.AddWithValue(version);
            insert.Parameters.AddWithValue(now);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }
        }

        await InsertCopiesAsync(connection, transaction, copies, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Adds copies for versions that exist; a copy already stored for the same key is kept. Returns how many were added.</summary>
    public async Task<int> AddCopiesAsync(IReadOnlyList<SealedCopy> copies, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await InsertCopiesAsync(connection, null, copies, time.GetUtcNow(), cancellationToken);
    }

    public async Task<List<SecretVersion>> ListAsync(string environment, string app, bool allVersions, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select v.app, v.environment, v.name, v.version, v.created_at, " +
            "v.created_at = max(v.created_at) over (partition by v.app, v.name) as latest, " +
            "coalesce(array_agg(s.key_fingerprint order by a.name nulls first, s.key_fingerprint) filter (where s.key_fingerprint is not null), '{}'), " +
            "coalesce(array_agg(coalesce(s.agent_id::text, '') order by a.name nulls first, s.key_fingerprint) filter (where s.key_fingerprint is not null), '{}'), " +
            "coalesce(array_agg(coalesce(a.name, '') order by a.name nulls first, s.key_fingerprint) filter (where s.key_fingerprint is not null), '{}'), " +
            "coalesce(array_agg(s.agent_id is null or a.encryption_public_key is not null and 'sha256:' || encode(sha256(a.encryption_public_key), 'hex') = s.key_fingerprint " +
            "order by a.name nulls first, s.key_fingerprint) filter (where s.key_fingerprint is not null), '{}') " +
            "from secret_versions v left join sealed_secrets s using (app, environment, name, version) left join agents a on a.id = s.agent_id " +
            "where v.environment = $1 and ($2 = '' or v.app = $2) group by v.app, v.environment, v.name, v.version, v.created_at order by v.app, v.name, v.created_at desc");
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(app);
        var result = new List<SecretVersion>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var version = new SecretVersion
            {
                App = reader.GetString(0),
                Environment = reader.GetString(1),
                Name = reader.GetString(2),
                Version = reader.GetString(3),
                CreatedAt = Timestamp.FromDateTimeOffset(reader.GetFieldValue<DateTimeOffset>(4)),
                Latest = reader.GetBoolean(5),
            };
            var fingerprints = reader.GetFieldValue<string[]>(6);
            var agentIds = reader.GetFieldValue<string[]>(7);
            var agentNames = reader.GetFieldValue<string[]>(8);
            var current = reader.GetFieldValue<bool[]>(9);
            for (var i = 0; i < fingerprints.Length; i++)
            {
                version.Holders.Add(new SecretHolder { KeyFingerprint = fingerprints[i], AgentId = agentIds[i], AgentName = agentNames[i], Current = current[i] });
            }

            if (allVersions || version.Latest)
            {
                result.Add(version);
            }
        }

        return result;
    }

    public async Task<int> RemoveAsync(string app, string environment, string name, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from secret_versions where app = $1 and environment = $2 and name = $3");
        command.Parameters.AddWithValue(app);
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(name);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<List<SealedCopy>> RecoveryCopiesAsync(string environment, string keyFingerprint, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"select {CopyColumns} from sealed_secrets where environment = $1 and key_fingerprint = $2 and agent_id is null order by app, name, sealed_at");
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(keyFingerprint);
        return await ReadCopiesAsync(command, cancellationToken);
    }

    /// <summary>The copies of those versions sealed for this agent's key.</summary>
    public async Task<List<SealedCopy>> AgentCopiesAsync(
        Guid agentId, string keyFingerprint, string app, string environment, IReadOnlyList<SecretReference> secrets, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"select {CopyColumns} from sealed_secrets where agent_id = $1 and key_fingerprint = $2 and app = $3 and environment = $4 " +
            "and (name, version) in (select * from unnest($5::text[], $6::text[]))");
        command.Parameters.AddWithValue(agentId);
        command.Parameters.AddWithValue(keyFingerprint);
        command.Parameters.AddWithValue(app);
        command.Parameters.AddWithValue(environment);
        command.Parameters.AddWithValue(secrets.Select(s => s.Name).ToArray());
        command.Parameters.AddWithValue(secrets.Select(s => s.Version).ToArray());
        return await ReadCopiesAsync(command, cancellationToken);
    }

    private static async Task<int> InsertCopiesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<SealedCopy> copies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "insert into sealed_secrets (app, environment, name, version, key_fingerprint, agent_id, ciphertext, sealed_at) " +
            "select c.app, c.environment, c.name, c.version, c.key_fingerprint, c.agent_id, c.ciphertext, $8 " +
            "from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::bytea[]) " +
            "as c (app, environment, name, version, key_fingerprint, agent_id, ciphertext) " +
            "join secret_versions v using (app, environment, name, version) on conflict do nothing",
            connection, transaction);
        insert.Parameters.AddWithValue(copies.Select(c => c.App).ToArray());
        insert.Parameters.AddWithValue(copies.Select(c => c.Environment).ToArray());
        insert.Parameters.AddWithValue(copies.Select(c => c.Name).ToArray());
        insert.Parameters.AddWithValue(copies.Select(c => c.Version).ToArray());
        insert.Parameters.AddWithValue(copies.Select(c => c.KeyFingerprint).ToArray());
        insert.Parameters.AddWithValue(NpgsqlDbType.Array | NpgsqlDbType.Uuid, copies.Select(c => c.AgentId.Length == 0 ? (Guid?)null : Guid.Parse(c.AgentId)).ToArray());
        insert.Parameters.AddWithValue(copies.Select(c => c.Ciphertext.ToByteArray()).ToArray());
        insert.Parameters.AddWithValue(now);
        return await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<SealedCopy>> ReadCopiesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var copies = new List<SealedCopy>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            copies.Add(new SealedCopy
            {
                App = reader.GetString(0),
                Environment = reader.GetString(1),
                Name = reader.GetString(2),
                Version = reader.GetString(3),
                KeyFingerprint = reader.GetString(4),
                AgentId = reader.IsDBNull(5) ? "" : reader.GetGuid(5).ToString("D"),
                Ciphertext = ByteString.CopyFrom(reader.GetFieldValue<byte[]>(6)),
            });
        }

        return copies;
    }
}
