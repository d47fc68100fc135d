using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Fleet.Controller.Persistence;

/// <summary>
/// The <c>--dev</c> database: a private PostgreSQL cluster in DATA/postgres on 127.0.0.1 and a free
/// port, password-protected, reused on restart (also when a killed controller left it running).
/// Disposing stops it when it is still running, so a controller that fails after starting it
/// (e.g. its port is taken) does not leave it behind.
/// </summary>
internal sealed partial class EmbeddedPostgres(string dataFolder) : IAsyncDisposable
{
    private const string User = "fleet";
    private const string Database = "fleet";

    private string Cluster => Path.Combine(dataFolder, "postgres");

    // Outside the cluster folder so that it stays owned by root and 0600.
    private string PasswordFile => Path.Combine(dataFolder, "postgres.password");

    private ILogger? _runningLogger;

    public string ConnectionString { get; private set; } = "";

    public async Task StartAsync(ILogger logger, CancellationToken cancellationToken)
    {
        var bin = FindBinaries();
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("--dev needs a Unix PostgreSQL");
        }

        if (IsRoot)
        {
            // The postgres user must be able to pass through the (otherwise private) data folder.
            File.SetUnixFileMode(dataFolder, File.GetUnixFileMode(dataFolder) | UnixFileMode.OtherExecute);
        }

        if (!File.Exists(Path.Combine(Cluster, "PG_VERSION")))
        {
            await InitAsync(bin, cancellationToken);
        }

        var password = (await File.ReadAllTextAsync(PasswordFile, cancellationToken)).Trim();
        var port = RunningPort();
        if (port is null)
        {
            port = FreePort();
            await AsPostgresAsync(Path.Combine(bin, "pg_ctl"),
                ["-D", Cluster, "-l", Path.Combine(Cluster, "postgres.log"), "-w", "-t", "60",
                 "-o", $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", "start"],
                cancellationToken);
            Log.Started(logger, Cluster, port.Value);
        }
        else
        {
            Log.Reused(logger, Cluster, port.Value);
        }

        _runningLogger = logger;

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port.Value, Username = User, Password = password, Database = "postgres",
        };
        await EnsureDatabaseAsync(builder.ConnectionString, cancellationToken);
        builder.Database = Database;
        ConnectionString = builder.ConnectionString;
        Log.HowToReach(logger, $"psql \"host=127.0.0.1 port={port} user={User} dbname={Database}\" (password in {PasswordFile})");
    }

    public async Task StopAsync(ILogger logger, CancellationToken cancellationToken)
    {
        if (_runningLogger is null)
        {
            return;
        }

        await AsPostgresAsync(Path.Combine(FindBinaries(), "pg_ctl"), ["-D", Cluster, "-m", "fast", "-w", "stop"], cancellationToken);
        _runningLogger = null;
        Log.Stopped(logger, Cluster);
    }

    public async ValueTask DisposeAsync()
    {
        if (_runningLogger is { } logger)
        {
            await StopAsync(logger, CancellationToken.None);
        }
    }

    private async Task InitAsync(string bin, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("--dev needs a Unix PostgreSQL");
        }

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(Cluster, ownerOnly);
        // initdb reads the superuser password from a file; it lives in a private folder only while initdb runs.
        var scratch = Directory.CreateDirectory(Path.Combine(dataFolder, "postgres-init"), ownerOnly).FullName;
        var passwordFile = Path.Combine(scratch, "pw");
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        Identity.SecretFile.WriteSecret(passwordFile, password + "\n");
        try
        {
            if (IsRoot)
            {
                await ProcessRunner.RunAsync("chown", ["-R", "postgres:postgres", Cluster, scratch], cancellationToken);
                if (await ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", "test", "-w", Cluster], cancellationToken, check: false) != "0")
                {
                    throw new InvalidOperationException(
                        $"the postgres user cannot reach {Cluster}: every folder above it needs o+x (or use --connection-string)");
                }
            }

            await AsPostgresAsync(Path.Combine(bin, "initdb"),
                ["-D", Cluster, "-U", User, "-A", "scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--no-instructions"],
                cancellationToken);
        }
        catch
        {
            // A half-made cluster would be "reused" on the next start; leave nothing behind.
            Directory.Delete(Cluster, recursive: true);
            throw;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        Identity.SecretFile.WriteSecret(PasswordFile, password);
    }

    private int? RunningPort()
    {
        var pidFile = Path.Combine(Cluster, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], CultureInfo.InvariantCulture, out var pid)
            || !int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port) || !Directory.Exists($"/proc/{pid}"))
        {
            return null;
        }

        return port;
    }

    private static async Task EnsureDatabaseAsync(string adminConnectionString, CancellationToken cancellationToken)
    {
        // Unpooled: this connection to the maintenance database is needed once.
        await using var connection = new NpgsqlConnection(adminConnectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
        exists.Parameters.AddWithValue(Database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"create database {Database}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    // PostgreSQL refuses to run as root; as root it runs as the postgres user.
    private static Task<string> AsPostgresAsync(string program, string[] arguments, CancellationToken cancellationToken) =>
        IsRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments], cancellationToken)
            : ProcessRunner.RunAsync(program, arguments, cancellationToken);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("FLEET_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), CultureInfo.InvariantCulture, out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "--dev needs PostgreSQL's initdb and pg_ctl: install PostgreSQL (apt-get install postgresql) or set FLEET_PG_BIN to their folder, or pass --connection-string");
    }

    private static partial class Log
    {
        [LoggerMessage(1110, LogLevel.Information, "Started the embedded PostgreSQL in {Cluster} on 127.0.0.1:{Port}")]
        public static partial void Started(ILogger logger, string cluster, int port);

        [LoggerMessage(1111, LogLevel.Information, "Reusing the embedded PostgreSQL already running in {Cluster} on 127.0.0.1:{Port}")]
        public static partial void Reused(ILogger logger, string cluster, int port);

        [LoggerMessage(1112, LogLevel.Information, "Embedded PostgreSQL: {HowToReach}")]
        public static partial void HowToReach(ILogger logger, string howToReach);

        [LoggerMessage(1113, LogLevel.Information, "Stopped the embedded PostgreSQL in {Cluster}")]
        public static partial void Stopped(ILogger logger, string cluster);
    }
}
