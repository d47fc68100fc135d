using Fleet.Controller.Operators;
using Fleet.Controller.Persistence;

namespace Fleet.Controller.Hosting;

/// <summary>Migrates the schema and bootstraps the admin token before Kestrel accepts a connection.</summary>
internal sealed class DatabaseStartup(MigrationRunner migrations, AdminTokenBootstrap admin) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        migrations.MigrateAsync(Migration.Embedded(), connection => admin.EnsureAsync(connection, cancellationToken), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
