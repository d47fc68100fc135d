using Npgsql;

namespace Fleet.Controller.Persistence;

/// <summary>
/// Applies pending migrations, each in its own transaction, while holding a session advisory
/// lock so that controller replicas starting together apply each migration exactly once.
/// </summary>
internal sealed partial class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    // Arbitrary, fixed: "fleet" in ASCII.
    internal const long LockKey = 0x666c656574;

    /// <summary>Runs <paramref name="whileLocked"/> after migrating, still under the lock.</summary>
    public async Task<int> MigrateAsync(IReadOnlyList<Migration> migrations, Func<NpgsqlConnection, Task>? whileLocked, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_lock($1)", connection))
        {
            lockCommand.Parameters.AddWithValue(LockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using (var create = new NpgsqlCommand(
                "create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())",
                connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            var applied = new HashSet<int>();
            await using (var select = new NpgsqlCommand("select version from schema_migrations", connection))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            var count = 0;
            foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using (var apply = new NpgsqlCommand(migration.Sql, connection, transaction))
                {
                    await apply.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var record = new NpgsqlCommand("insert into schema_migrations (version, name) values ($1, $2)", connection, transaction))
                {
                    record.Parameters.AddWithValue(migration.Version);
                    record.Parameters.AddWithValue(migration.Name);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                Log.Applied(logger, migration.Version, migration.Name);
                count++;
            }

            if (whileLocked is not null)
            {
                await whileLocked(connection);
            }

            return count;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock($1)", connection);
            unlock.Parameters.AddWithValue(LockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Information, "Applied migration {Version} {Name}")]
        public static partial void Applied(ILogger logger, int version, string name);
    }
}
