using Fleet.Controller.Hosting;
using Npgsql;

namespace Fleet.Controller.Persistence;

internal static class PersistenceRegistration
{
    public const string ConnectionStringVariable = "FLEET_CONTROLLER_CONNECTION_STRING";

    /// <summary>
    /// Registers the Npgsql data source and the migrations. With <c>--dev</c> and no connection
    /// string it first starts the embedded PostgreSQL, which stops again when the host stops.
    /// </summary>
    public static async Task AddPersistenceAsync(this WebApplicationBuilder builder, ControllerOptions options, ILoggerFactory startupLogs, CancellationToken cancellationToken)
    {
        var connectionString = options.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (!options.Dev)
            {
                throw new ArgumentException($"no database: pass --connection-string (or set {ConnectionStringVariable}), or --dev for an embedded PostgreSQL");
            }

            var embedded = new EmbeddedPostgres(options.Data);
            await embedded.StartAsync(startupLogs.CreateLogger<EmbeddedPostgres>(), cancellationToken);
            connectionString = embedded.ConnectionString;
            // From a factory, so that disposing the app stops it even when the host never started.
            builder.Services.AddSingleton(_ => embedded);
            // Registered before every other hosted service, so it is stopped after all of them.
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, EmbeddedPostgresLifetime>());
        }

        var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
        dataSourceBuilder.ConnectionStringBuilder.ApplicationName ??= "fleet-controller";
        builder.Services.AddSingleton(_ => dataSourceBuilder.Build());
        builder.Services.AddSingleton<MigrationRunner>();
    }

    private sealed class EmbeddedPostgresLifetime(EmbeddedPostgres postgres, ILogger<EmbeddedPostgres> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => postgres.StopAsync(logger, cancellationToken);
    }
}
