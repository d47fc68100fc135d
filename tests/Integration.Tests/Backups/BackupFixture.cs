using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Fleet.Agent.Backups;
using Fleet.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Fleet.Integration.Tests.Backups;

/// <summary>
/// A pgbench-initialised source database (plus a table of incompressible text so that S3
/// uploads span several parts), an encryption key, and the agent's backup services.
/// </summary>
public sealed class BackupFixture : IAsyncLifetime
{
    private PostgresDatabase? _source;

    internal TempDirectory Folder { get; } = new("backups");

    internal string KeyFile => Folder.Combine("backup.key");

    internal string SourceDatabase => _source!.Name;

    internal NpgsqlConnectionStringBuilder Server { get; } = new(TestEnvironment.Postgres);

    internal static string PgBin => TestEnvironment.Require("FLEET_PG_BIN", "PostgreSQL installation (FLEET_PG_BIN)");

    internal IServiceProvider Services => _host!.Services;

    private IHost? _host;

    public async ValueTask InitializeAsync()
    {
        BackupKey.Generate(KeyFile);
        _source = await PostgresDatabase.CreateAsync("backup_src", CancellationToken.None);
        await RunAsync(Path.Combine(PgBin, "pgbench"), "-i", "-s", "1", "-q", "-h", Server.Host!, "-p", Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", Server.Username!, SourceDatabase);
        await ExecuteAsync(SourceDatabase,
            "CREATE TABLE noise (id int PRIMARY KEY, payload text NOT NULL); " +
            "INSERT INTO noise SELECT g, md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text) FROM generate_series(1, 100000) g");
        _host = CreateHost(PgBin);
    }

    /// <summary>A host (not started) with the backup services as AddBackups wires them, using the given PostgreSQL tool folder.</summary>
    internal IHost CreateHost(string pgBin)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Backups:AgentName"] = "it-agent",
            ["Backups:StateDirectory"] = Folder.Combine("state"),
            ["Backups:PostgresBinDirectory"] = pgBin,
        });
        builder.Services.AddLogging();
        builder.Services.AddBackups(builder.Configuration);
        return builder.Build();
    }

    internal BackupDeclaration Declaration(string storeUrl, string name = "db", string? database = null) => new()
    {
        App = "it",
        Name = name,
        Host = Server.Host!,
        Port = Server.Port,
        User = Server.Username!,
        Database = database ?? SourceDatabase,
        EncryptionKeyFile = KeyFile,
        Store = new BackupStoreSettings { Url = storeUrl },
    };

    /// <summary>Row count and an md5 over all rows (sorted) of every table in the public schema.</summary>
    internal async Task<Dictionary<string, string>> FingerprintAsync(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = database, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var query = new NpgsqlCommand(
                $"SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t", connection);
            result[table] = (string)(await query.ExecuteScalarAsync())!;
        }
        return result;
    }

    internal async Task<bool> DatabaseExistsAsync(string name) =>
        (long)(await ScalarAsync("postgres", $"SELECT count(*) FROM pg_database WHERE datname = '{name}'"))! > 0;

    internal async Task<object?> ScalarAsync(string database, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Database = database, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    internal Task ExecuteAsync(string database, string sql) => ScalarAsync(database, sql);

    internal async Task DropDatabaseAsync(string name) =>
        await ExecuteAsync("postgres", $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    /// <summary>A role that must log in with <see cref="RightPassword"/> (see <see cref="RequirePasswordRoleAsync"/>).</summary>
    internal const string PasswordRole = "fleet_backup_pw";

    internal const string RightPassword = "right-Pa55word";

    /// <summary>
    /// The test cluster trusts every local connection; a role that must authenticate gets its own
    /// scram-sha-256 line at the top of pg_hba.conf (idempotent, affects only that role).
    /// </summary>
    internal async Task RequirePasswordRoleAsync()
    {
        await ExecuteAsync("postgres",
            $"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PasswordRole}') THEN " +
            $"CREATE ROLE {PasswordRole} LOGIN PASSWORD '{RightPassword}' IN ROLE pg_read_all_data; END IF; END$$");
        var hba = (string)(await ScalarAsync("postgres", "SHOW hba_file"))!;
        var line = $"host all {PasswordRole} 127.0.0.1/32 scram-sha-256";
        var content = (string)(await ScalarAsync("postgres", $"SELECT pg_read_file('{hba}')"))!;
        if (!content.Contains(line, StringComparison.Ordinal))
        {
            // COPY truncates its target before running its query, so the old content goes in as a
            // literal; CSV with control characters as delimiter and quote writes each line verbatim.
            Assert.DoesNotContain("$hba$", content, StringComparison.Ordinal);
            await ExecuteAsync("postgres",
                $"COPY (SELECT l FROM unnest(string_to_array($hba${line}\n{content}$hba$, E'\\n')) l WHERE l <> '') " +
                $"TO '{hba}' WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')");
            await ExecuteAsync("postgres", "SELECT pg_reload_conf()");
        }
        var wrong = new NpgsqlConnectionStringBuilder(Server.ConnectionString) { Username = PasswordRole, Password = "probe", Pooling = false };
        await Eventually.ReturnsAsync(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(wrong.ConnectionString);
                await connection.OpenAsync(CancellationToken.None);
                return false;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidPassword)
            {
                return true;
            }
        }, refused => refused, TimeSpan.FromSeconds(10), "PostgreSQL to require a password for " + PasswordRole);
    }

    /// <summary>A tool folder whose pg_dump streams the first bytes of a real dump and is then killed with SIGKILL.</summary>
    internal string KillingPgDumpFolder(int bytes) =>
        PgDumpStandIn($"\"{PgBin}/pg_dump\" \"$@\" | head -c {bytes}\nkill -KILL $$");

    /// <summary>A tool folder with the real psql and a shell script standing in for pg_dump.</summary>
    internal string PgDumpStandIn(string script)
    {
        var folder = Folder.Combine("pg-bin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var pgDump = Path.Combine(folder, "pg_dump");
        File.WriteAllText(pgDump, $"#!/bin/sh\n{script}\n");
        File.SetUnixFileMode(pgDump, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(folder, "psql"), Path.Combine(PgBin, "psql"));
        return folder;
    }

    /// <summary>A declaration as an agent's settings.json holds it, with a schedule that never fires during a test.</summary>
    internal static JsonObject SettingsJson(BackupDeclaration d) => new()
    {
        ["App"] = d.App,
        ["Name"] = d.Name,
        ["Host"] = d.Host,
        ["Port"] = d.Port,
        ["User"] = d.User,
        ["Database"] = d.Database,
        ["PasswordFile"] = d.PasswordFile,
        ["EncryptionKeyFile"] = d.EncryptionKeyFile,
        ["Schedule"] = "0 0 3 1 1 ? 2099",
        ["Store"] = new JsonObject
        {
            ["Url"] = d.Store.Url,
            ["Endpoint"] = d.Store.Endpoint,
            ["Anonymous"] = d.Store.Anonymous,
            ["PartSizeMiB"] = d.Store.PartSizeMiB,
        },
    };

    /// <summary>s3rver's fixed credentials, through the environment as an operator without key files would set them.</summary>
    internal static void UseS3rverCredentials()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
    }

    /// <summary>A 127.0.0.1 port nobody listens on (bound for a moment, then released).</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task RunAsync(string fileName, params string[] arguments)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} failed: {await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        _host?.Dispose();
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }
        Folder.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BackupTestGroup : ICollectionFixture<BackupFixture>
{
    public const string Name = "backups";
}
