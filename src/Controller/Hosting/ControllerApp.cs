using Fleet.Controller.Agents;
using Fleet.Controller.Audit;
using Fleet.Controller.Backups;
using Fleet.Controller.Certificates;
using Fleet.Controller.Enrollment;
using Fleet.Controller.Identity;
using Fleet.Controller.Notifications;
using Fleet.Controller.Operators;
using Fleet.Controller.Persistence;
using Fleet.Controller.Releases;
using Fleet.Controller.Secrets;
using Fleet.Controller.Telemetry;
using Fleet.Controller.Trust;
using Fleet.Controller.Webhooks;
using Grpc.HealthCheck;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fleet.Controller.Hosting;

/// <summary>Builds the controller; the same code path serves <c>Program</c> and in-process tests.</summary>
internal static class ControllerApp
{
    /// <summary>
    /// Builds (not starts) the controller from command-line <paramref name="args"/>. With --dev
    /// and no connection string the embedded PostgreSQL is started here. After
    /// <c>StartAsync</c>, <c>Services.GetRequiredService&lt;ReadyAnnouncer&gt;().Ready</c> gives the URL and CA pin.
    /// </summary>
    /// <exception cref="ArgumentException">Bad command line; the message is for the operator.</exception>
    public static async Task<WebApplication> CreateAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.AddInMemoryCollection(CommandLine.Parse(args));
        var options = builder.Configuration.GetSection(ControllerOptions.Section).Get<ControllerOptions>() ?? new ControllerOptions();
        var invalid = new ControllerOptionsValidator().Validate(null, options);
        if (invalid.Failed)
        {
            throw new ArgumentException(invalid.FailureMessage);
        }

        builder.Host.UseSystemd();
        builder.AddTelemetry();
        builder.Services.AddOptions<ControllerOptions>().BindConfiguration(ControllerOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        var identity = ServerIdentity.LoadOrCreate(options, TimeProvider.System);
        builder.Services.AddIdentity(identity);
        builder.ConfigureKestrel(options, identity);
        using (var startupLogs = LoggerFactory.Create(logs => logs.AddJsonConsole(TelemetryRegistration.ConfigureJson)))
        {
            await builder.AddPersistenceAsync(options, startupLogs, cancellationToken);
        }

        builder.Services.AddHostedService<DatabaseStartup>();
        builder.Services.AddHostedService<NativeMemoryTrimmer>();
        builder.Services.AddSingleton<InboundPause>();
        builder.Services.AddSingleton<ReadyAnnouncer>();
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<OperatorAuthInterceptor>());
        builder.Services.AddSingleton<HealthServiceImpl>();
        builder.Services.AddOperators();
        builder.Services.AddEnrollment();
        builder.Services.AddAgents();
        builder.Services.AddTrust();
        builder.Services.AddReleases();
        builder.Services.AddCertificates();
        builder.Services.AddBackups();
        builder.Services.AddSecrets();
        builder.Services.AddNotifications();
        builder.Services.AddWebhooks();
        builder.Services.AddAuditReading();

        var app = builder.Build();
        app.UseTelemetry();
        app.MapGrpcService<HealthServiceImpl>();
        app.MapEnrollment();
        app.MapAgents();
        app.MapOperators();
        app.MapTrust();
        app.MapReleases();
        app.MapCertificates();
        app.MapBackups();
        app.MapSecrets();
        app.MapWebhooks();
        app.MapAudit();
        var announcer = app.Services.GetRequiredService<ReadyAnnouncer>();
        app.Lifetime.ApplicationStarted.Register(announcer.Announce);
        return app;
    }
}
