using Fleet.Agent.Acme;
using Fleet.Agent.Backups;
using Fleet.Agent.Connection;
using Fleet.Agent.Health;
using Fleet.Agent.Identity;
using Fleet.Agent.Releases;
using Fleet.Agent.Secrets;
using Fleet.Agent.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fleet.Agent.Hosting;

/// <summary>
/// Builds the agent's host: identity and renewal, the controller stream, signed releases (swap
/// engine, trust policy, event outbox), status snapshots, telemetry and systemd integration. Nothing static: tests create several in one process.
/// </summary>
internal static class AgentHost
{
    /// <summary>Same arguments as `fleet-agent run` takes after the verb.</summary>
    /// <exception cref="ArgumentException">The arguments do not parse.</exception>
    /// <exception cref="InvalidOperationException">The state directory holds no usable identity.</exception>
    public static IHost Create(string[] args)
    {
        var (options, errors) = new AgentCommandLine().ParseRun(args);
        return options is null
            ? throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(args))
            : Create(options);
    }

    public static IHost Create(AgentRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new IdentityStore(options.StateDir);
        var identity = store.Load();

        if (options.MetricsListen is { } listen)
        {
            var web = WebApplication.CreateSlimBuilder();
            web.WebHost.UseUrls($"http://{listen}");
            Configure(web, store, identity, prometheus: true);
            var app = web.Build();
            app.MapPrometheusScrapingEndpoint();
            return app;
        }

        var builder = Host.CreateApplicationBuilder();
        Configure(builder, store, identity, prometheus: false);
        return builder.Build();
    }

    /// <summary>Agent-local settings (e.g. the "Certificates" section, "Backups:Declarations" for hosts without apps) in the state folder; optional.</summary>
    public const string SettingsFile = "settings.json";

    private static void Configure(IHostApplicationBuilder builder, IdentityStore store, AgentIdentity identity, bool prometheus)
    {
        builder.Configuration.AddJsonFile(Path.Combine(Path.GetFullPath(store.StateDir), SettingsFile), optional: true, reloadOnChange: false);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSystemd();
        builder.Services.AddHostedService<SystemdWatchdog>();
        builder.AddAgentTelemetry(prometheus);
        builder.Services.AddAgentIdentity(store, identity);
        builder.Services.AddHostStatus(builder.Configuration, store.StateDir);
        builder.Services.AddAgentSecrets(store.StateDir);
        builder.Services.AddReleases(builder.Configuration, store.StateDir, identity.Config.Labels);
        builder.Services.AddBackups(builder.Configuration, store.StateDir, identity.Config.Name);
        builder.Services.AddControllerConnection();
        builder.Services.AddAcme(builder.Configuration, store.StateDir);
    }
}
